#!/usr/bin/env bash
# Runs testkit's live-server suite (`tests/neo4j`, written for a real Neo4j
# 5.26) through the official Python driver's testkit backend against the
# neo-embedded server binary, and prints one line per test and a summary:
#
#   neo4j-suite: N passed, N failed, N skipped
#
# usage: scripts/neo4j-suite.sh [--edition community|enterprise]
#            [--scheme bolt|neo4j] [--neo4j-version 5.26]
#            [--max-bolt-version 5.7] [--no-netns] [SELECTOR...]
#
# SELECTOR: unittest name prefixes such as neo4j.test_summary or
# tests.neo4j.test_tx_run.TestTxRun.test_simple_query (default: all).
#
# Neither testkit nor the driver is part of this repository; export them
# into ignored folders and name them in the environment:
#
#   TESTKIT_DIR        neo4j-drivers/testkit at commit 0c5fb949219b, e.g.
#                        git -C testkit archive 0c5fb949219b | tar -x -C target/testkit-src
#                      (with the `fetch` tool: github:neo4j-drivers/testkit)
#   PYTHON_DRIVER_DIR  neo4j/neo4j-python-driver at tag 5.25.0 (the driver
#                      of this testkit revision; its testkitbackend/ is used), e.g.
#                        git -C neo4j-python-driver archive 5.25.0 | tar -x -C target/python-driver-src
#
# Optional: CARGO_TARGET_DIR (where the server binary is built),
# NEO4J_SUITE_VENV (default target/neo4j-suite-venv; the driver of
# PYTHON_DRIVER_DIR's version from PyPI and testkit's few imports are
# installed there on first use), NEO4J_SUITE_OUT (default target/neo4j-suite:
# logs and results-<edition>-<scheme>.tsv).
#
# The server, the backend and the tests run in a private network namespace
# (`unshare -rn`) so that the fixed ports (7687, the backend's 9876) never
# clash with anything else; --no-netns uses the host's network instead.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

EDITION=community
SCHEME=bolt
NEO4J_VERSION=5.26
MAX_BOLT=5.7
NETNS=auto
SELECTORS=()
INNER=0
usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while (($#)); do
    case $1 in
        --edition) EDITION=${2:?--edition needs a value}; shift 2 ;;
        --scheme) SCHEME=${2:?--scheme needs a value}; shift 2 ;;
        --neo4j-version) NEO4J_VERSION=${2:?--neo4j-version needs a value}; shift 2 ;;
        --max-bolt-version) MAX_BOLT=${2:?--max-bolt-version needs a value}; shift 2 ;;
        --no-netns) NETNS=no; shift ;;
        --inner) INNER=1; shift ;;
        -h|--help) usage ;;
        -*) echo "unknown option $1" >&2; usage ;;
        *) SELECTORS+=("$1"); shift ;;
    esac
done
case $EDITION in community|enterprise) ;; *) echo "--edition: community or enterprise" >&2; exit 2 ;; esac
case $SCHEME in bolt|neo4j) ;; *) echo "--scheme: bolt or neo4j" >&2; exit 2 ;; esac

VENV=${NEO4J_SUITE_VENV:-$ROOT/target/neo4j-suite-venv}
OUT=${NEO4J_SUITE_OUT:-$ROOT/target/neo4j-suite}
BINARY=${CARGO_TARGET_DIR:-$ROOT/target}/debug/neo-embedded
SERVER_PORT=7687
BACKEND_PORT=9876

die() { echo "neo4j-suite: $*" >&2; exit 2; }

if ((INNER == 0)); then
    [[ -n ${TESTKIT_DIR:-} ]] || die "set TESTKIT_DIR to an export of neo4j-drivers/testkit at 0c5fb949219b (see the top of $0)"
    [[ -f $TESTKIT_DIR/tests/neo4j/shared.py ]] || die "TESTKIT_DIR=$TESTKIT_DIR has no tests/neo4j/shared.py: not a testkit export"
    [[ -n ${PYTHON_DRIVER_DIR:-} ]] || die "set PYTHON_DRIVER_DIR to an export of neo4j/neo4j-python-driver at tag 5.25.0 (see the top of $0)"
    [[ -f $PYTHON_DRIVER_DIR/testkitbackend/__main__.py ]] || die "PYTHON_DRIVER_DIR=$PYTHON_DRIVER_DIR has no testkitbackend/: not a Python driver export"
    META=$PYTHON_DRIVER_DIR/src/neo4j/_meta.py
    DRIVER_VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$META" 2>/dev/null || true)
    [[ -n $DRIVER_VERSION ]] || die "cannot read the driver's version from $META"

    # The driver itself, at the backend's version, and testkit's imports.
    if ! "$VENV/bin/python" -c "import neo4j, sys; sys.exit(neo4j.__version__ != '$DRIVER_VERSION')" 2>/dev/null; then
        echo "== installing neo4j $DRIVER_VERSION into $VENV" >&2
        python3 -m venv "$VENV" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
        if [[ $DRIVER_VERSION == *dev* ]]; then
            "$VENV/bin/pip" install --quiet "$PYTHON_DRIVER_DIR"
        else
            "$VENV/bin/pip" install --quiet "neo4j==$DRIVER_VERSION"
        fi
    fi
    "$VENV/bin/python" -c "import ifaddr, lark, pytz, freezegun" 2>/dev/null ||
        "$VENV/bin/pip" install --quiet ifaddr==0.1.7 lark==1.0.0 pytz==2024.2 freezegun==1.5.5

    cargo build --locked -p neo-embedded --bin neo-embedded >&2
    mkdir -p "$OUT"
    export TESTKIT_DIR PYTHON_DRIVER_DIR NEO4J_SUITE_VENV=$VENV NEO4J_SUITE_OUT=$OUT
    ARGS=(--inner --edition "$EDITION" --scheme "$SCHEME" --neo4j-version "$NEO4J_VERSION" --max-bolt-version "$MAX_BOLT")
    if [[ $NETNS == auto ]] && unshare -rn true 2>/dev/null; then
        exec unshare -rn bash "$0" "${ARGS[@]}" "${SELECTORS[@]}"
    fi
    [[ $NETNS == no ]] || echo "neo4j-suite: no private network namespace (unshare -rn); using the host's network" >&2
    exec bash "$0" "${ARGS[@]}" --no-netns "${SELECTORS[@]}"
fi

# ---- inside the namespace (or on the host with --no-netns) -----------------
if [[ $NETNS == auto ]]; then
    ip link set lo up
fi
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_free "$SERVER_PORT" || die "port $SERVER_PORT is taken"
port_free "$BACKEND_PORT" || die "port $BACKEND_PORT (the backend's) is taken"

LABEL=$EDITION-$SCHEME
SERVER_LOG=$OUT/server-$LABEL.log
BACKEND_LOG=$OUT/backend-$LABEL.log
RESULTS=$OUT/results-$LABEL.tsv
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT

"$BINARY" --listen "127.0.0.1:$SERVER_PORT" --auth neo4j:pass \
    --max-bolt-version "$MAX_BOLT" --log-level warn >"$SERVER_LOG" 2>&1 &
PIDS+=($!)
( cd "$PYTHON_DRIVER_DIR" && exec "$NEO4J_SUITE_VENV/bin/python" -m testkitbackend ) >"$BACKEND_LOG" 2>&1 &
PIDS+=($!)

wait_for_port() {
    local port=$1 what=$2 pid=$3
    for _ in $(seq 1 200); do
        if ! port_free "$port"; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || die "$what exited before listening; see its log in $OUT"
        sleep 0.1
    done
    die "$what did not listen on port $port within 20 s"
}
wait_for_port "$SERVER_PORT" "the server" "${PIDS[0]}"
wait_for_port "$BACKEND_PORT" "the backend" "${PIDS[1]}"

echo "== tests/neo4j ($EDITION, $SCHEME://, TEST_NEO4J_VERSION=$NEO4J_VERSION, server up to Bolt $MAX_BOLT)"
status=0
(
    cd "$TESTKIT_DIR"
    export PYTHONPATH=$TESTKIT_DIR
    export TEST_DRIVER_NAME=python TEST_BACKEND_HOST=127.0.0.1 TEST_BACKEND_PORT=$BACKEND_PORT
    export TEST_NEO4J_HOST=127.0.0.1 TEST_NEO4J_PORT=$SERVER_PORT
    export TEST_NEO4J_USER=neo4j TEST_NEO4J_PASS=pass
    export TEST_NEO4J_SCHEME=$SCHEME TEST_NEO4J_VERSION=$NEO4J_VERSION
    export TEST_NEO4J_EDITION=$EDITION TEST_NEO4J_CLUSTER=False
    exec "$NEO4J_SUITE_VENV/bin/python" "$ROOT/scripts/neo4j_suite_runner.py" "$RESULTS" "${SELECTORS[@]}"
) || status=$?
echo "results: $RESULTS; server log: $SERVER_LOG; backend log: $BACKEND_LOG"
exit "$status"
