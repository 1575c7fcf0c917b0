#!/usr/bin/env bash
# Interoperability: the official Neo4j Python driver against the neo-embedded
# server binary. Creates (or reuses) a virtualenv under target/interop-venv.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=target/interop-venv
PYTHON_DRIVER_VERSION=6.4.1

if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import neo4j, sys; sys.exit(neo4j.__version__ != '$PYTHON_DRIVER_VERSION')" 2>/dev/null; then
    "$VENV/bin/pip" install --quiet "neo4j==$PYTHON_DRIVER_VERSION"
fi

cargo build --locked -p neo-embedded --bin neo-embedded
BINARY="${CARGO_TARGET_DIR:-target}/debug/neo-embedded"

OUTPUT=$(mktemp)
SERVER_PID=""
stop_server() {
    if [[ -n "$SERVER_PID" ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
cleanup() {
    stop_server
    rm -f "$OUTPUT"
}
trap cleanup EXIT

# Runs the checks against a server speaking Bolt up to $1, with basic
# authentication (direct and routed), then against one whose authentication
# is off, connecting with auth=None.
check_version() {
    local version=$1
    start_server "$version" neo4j:password
    echo "== Python driver $PYTHON_DRIVER_VERSION against $uri (Bolt up to $version)"
    "$VENV/bin/python" neo-embedded/interop/check_python_driver.py "$uri" basic
    # The same through the driver's routing (ROUTE, then the table's servers).
    local routed=${uri/bolt:\/\//neo4j://}
    echo "== Python driver $PYTHON_DRIVER_VERSION against $routed (Bolt up to $version)"
    "$VENV/bin/python" neo-embedded/interop/check_python_driver.py "$routed" basic
    stop_server

    start_server "$version" none
    echo "== Python driver $PYTHON_DRIVER_VERSION with auth=None against $uri (Bolt up to $version)"
    "$VENV/bin/python" neo-embedded/interop/check_python_driver.py "$uri" none
    stop_server
}

# Starts the server speaking Bolt up to $1 with `--auth $2` and sets `uri`.
start_server() {
    local version=$1 auth=$2
    "$BINARY" --listen 127.0.0.1:0 --auth "$auth" --max-bolt-version "$version" \
        --log-level warn >"$OUTPUT" &
    SERVER_PID=$!

    uri=""
    local line
    for _ in $(seq 1 100); do
        line=$(head -n 1 "$OUTPUT" 2>/dev/null || true)
        if [[ "$line" == "neo-embedded listening on "* ]]; then
            uri=${line#neo-embedded listening on }
            break
        fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "the server exited before listening" >&2
            exit 1
        fi
        sleep 0.1
    done
    if [[ -z "$uri" ]]; then
        echo "the server did not report its address" >&2
        exit 1
    fi
}

# The newest protocol (manifest handshake, Bolt 5.8), a Neo4j 5.13-class
# server (Bolt 5.4) and a Neo4j 4.4-class server.
for version in 5.8 5.4 4.4; do
    check_version "$version"
done
