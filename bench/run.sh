#!/usr/bin/env bash
# Builds the benchmark (release), starts the pre-encoded server, runs every
# client on every workload alternately (ours, neo4j, neo4rs, raw, ours, ...)
# REPS times, and prints one table of medians and ratios.
#
#   bench/run.sh              # 5 repetitions
#   REPS=9 bench/run.sh       # more
#   WORKLOADS="w1 w2" bench/run.sh
#   SPIN=1 bench/run.sh       # with every core kept out of its idle states
#
# SPIN=1 runs one busy loop per core at the lowest priority (nice 19) during
# the runs: the clients and the server take the cores whenever they are
# runnable, but no core ever idles, so a process woken by the other side of
# a round trip starts at once instead of after the core leaves a deep idle
# state (tens of microseconds on virtual machines), as on a busy server.
#
# A client that cannot express a workload exits with status 3 and is left
# out of that row (the W1 variants other than W1 itself are ours only).
set -euo pipefail
cd "$(dirname "$0")"

REPS=${REPS:-5}
PORT=${PORT:-7699}
WORKLOADS=${WORKLOADS:-"w1 w1-borrowed w1-values w1-small w2 w3 w3-pipelined w4 w5 w6 w7 w7-pipelined"}
CLIENTS=${CLIENTS:-"ours neo4j neo4rs raw"}
ADDRESS=127.0.0.1:$PORT
RESULTS=${RESULTS:-target/results.txt}
SPIN=${SPIN:-0}

cargo build --release --locked --quiet
mkdir -p "$(dirname "$RESULTS")"
: > "$RESULTS"

target/release/bench-server "$ADDRESS" 2> target/server.log &
SERVER=$!
SPINNERS=()
trap 'kill "$SERVER" "${SPINNERS[@]}" 2>/dev/null || true' EXIT
if [ "$SPIN" = 1 ]; then
    for _ in $(seq "$(nproc)"); do
        nice -n 19 sh -c 'while :; do :; done' &
        SPINNERS+=("$!")
    done
fi
for _ in $(seq 100); do
    if target/release/client-raw w1-small "$ADDRESS" > /dev/null 2>&1; then break; fi
    sleep 0.1
done

for rep in $(seq "$REPS"); do
    for workload in $WORKLOADS; do
        for client in $CLIENTS; do
            status=0
            target/release/client-"$client" "$workload" "$ADDRESS" >> "$RESULTS" 2> target/client.err || status=$?
            case $status in
                0) ;;
                3) ;; # not expressible with this client
                *) echo "client-$client $workload failed (rep $rep): $(tail -1 target/client.err)" >&2 ;;
            esac
        done
    done
    echo "rep $rep/$REPS done" >&2
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr); SPIN=$SPIN"
echo
target/release/bench-report < "$RESULTS"
