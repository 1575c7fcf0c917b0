#!/usr/bin/env bash
# Runs the stub suite of Neo4j's driver conformance tests (testkit) against
# neo-runtime: builds the testkit backend in release mode, then hands over to
# ../shared/testkit/run.sh (relative to the repository root).
#
#   TESTKIT_DIR=/path/to/testkit scripts/testkit.sh [run.sh options] [TEST_SELECTOR...]
#
# TESTKIT_DIR names an export of the testkit repository at the revision in
# ../shared/testkit/TESTKIT_REVISION (testkit is not shipped here). Every
# argument goes to run.sh: test selectors, --shards N, --debug, --exclude ...
# (see `scripts/testkit.sh --help`). NEO_TESTKIT_CLAIMS=recommended makes the
# backend claim testkit's full recommended feature set instead of what the
# driver does (to measure how much of the suite it reaches).
#
# --generic-error-mapping (taken by this script, not passed on): testkit's
# tests assert the exception class of each official driver by name and, at
# this revision, end with `self.fail("no error mapping is defined for %s
# driver")` in 26 places for any other driver name, before the assertions
# they share (code, retryable, message). With this option the suite runs from
# a copy of TESTKIT_DIR (under the target directory; TESTKIT_DIR itself is
# left untouched) in which those lines take the generic path, as for the
# official drivers that have no class to check there: no `errorType`
# assertion, every other assertion kept. Results from such a run say so.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The runner kit: ../shared/testkit beside the repository, unless
# TESTKIT_RUNNER_DIR names another copy (a checkout elsewhere).
kit="${TESTKIT_RUNNER_DIR:-$(cd "$root/.." && pwd)/shared/testkit}"

if [[ ! -x "$kit/run.sh" ]]; then
    echo "testkit.sh: $kit/run.sh not found: the testkit runner is expected in ../shared/testkit beside the repository (or set TESTKIT_RUNNER_DIR)" >&2
    exit 2
fi

generic_error_mapping=false
args=()
for arg in "$@"; do
    if [[ "$arg" == "-h" || "$arg" == "--help" || "$arg" == "--list" ]]; then
        exec "$kit/run.sh" "$@"
    fi
    if [[ "$arg" == "--generic-error-mapping" ]]; then
        generic_error_mapping=true
    else
        args+=("$arg")
    fi
done

revision="$(awk 'NR == 1 { print $1 }' "$kit/TESTKIT_REVISION" 2>/dev/null || true)"
if [[ -z "${TESTKIT_DIR:-}" ]]; then
    cat >&2 <<MSG
testkit.sh: TESTKIT_DIR is not set.
  Testkit is not shipped with this repository. Export the public repository
  neo4j-drivers/testkit at commit ${revision:-<see $kit/TESTKIT_REVISION>}
  into an ignored folder and name it, for example:
    git -C /path/to/testkit archive ${revision:-<commit>} | tar -x -C target/testkit-src
    TESTKIT_DIR=\$PWD/target/testkit-src scripts/testkit.sh
MSG
    exit 2
fi
if [[ ! -d "$TESTKIT_DIR" ]]; then
    echo "testkit.sh: TESTKIT_DIR=$TESTKIT_DIR is not a directory" >&2
    exit 2
fi
TESTKIT_DIR="$(cd "$TESTKIT_DIR" && pwd)"
if [[ ! -f "$TESTKIT_DIR/nutkit/protocol/feature.py" || ! -d "$TESTKIT_DIR/tests/stub" ]]; then
    echo "testkit.sh: TESTKIT_DIR=$TESTKIT_DIR is not a testkit checkout (no nutkit/protocol/feature.py or tests/stub/)" >&2
    exit 2
fi
export TESTKIT_DIR

cd "$root"
cargo build --release --locked -p testkit-backend
target="${CARGO_TARGET_DIR:-$root/target}"

if $generic_error_mapping; then
    copy="$target/testkit-generic-src"
    rm -rf "$copy"
    mkdir -p "$copy"
    cp -a "$TESTKIT_DIR/." "$copy/"
    marker='self.fail("no error mapping is defined for %s driver" % driver)'
    changed=$(grep -rlF --include='*.py' "$marker" "$copy/tests" || true)
    if [[ -z "$changed" ]]; then
        echo "testkit.sh: --generic-error-mapping: no line to change in $TESTKIT_DIR (another revision?)" >&2
        exit 2
    fi
    count=$(grep -rF --include='*.py' "$marker" "$copy/tests" | wc -l)
    # shellcheck disable=SC2086
    sed -i "s/self\.fail(\"no error mapping is defined for %s driver\" % driver)/pass  # generic error mapping/" $changed
    echo "testkit.sh: --generic-error-mapping: $count exception-class fallbacks take the generic path (copy in $copy)" >&2
    export TESTKIT_DIR="$copy"
fi

exec "$kit/run.sh" --backend-cmd "exec '$target/release/testkit-backend'" ${args[@]+"${args[@]}"}
