#!/usr/bin/env bash
# Counts instructions (valgrind callgrind) each client spends per unit of
# work: a measure that a loaded machine does not disturb, unlike wall time.
# Starts its own server; prints one Markdown table.
#
#   bench/profile.sh                  # every client, w1 w2 w3
#   CLIENTS="ours" WORKLOADS="w1" bench/profile.sh
set -euo pipefail
cd "$(dirname "$0")"

PORT=${PORT:-7695}
WORKLOADS=${WORKLOADS:-"w1 w1-values w2 w3 w5 w6 w7"}
CLIENTS=${CLIENTS:-"ours neo4j neo4rs raw"}
ADDRESS=127.0.0.1:$PORT
OUT=target/callgrind
mkdir -p "$OUT"

cargo build --release --locked --quiet
target/release/bench-server "$ADDRESS" 2> target/profile-server.log &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    if target/release/client-raw w1-small "$ADDRESS" > /dev/null 2>&1; then break; fi
    sleep 0.1
done

declare -A UNITS=([w1]=1000000 [w1-borrowed]=1000000 [w1-values]=1000000 [w1-small]=10000
    [w2]=10000 [w3]=10000 [w3-pipelined]=10000 [w7-pipelined]=20480 [w4]=20000 [w5]=100000 [w6]=100 [w7]=20480)
echo "| workload | client | instructions per unit (whole process) |"
echo "|---|---|---:|"
for workload in $WORKLOADS; do
    for client in $CLIENTS; do
        file="$OUT/$client.$workload.out"
        status=0
        valgrind --tool=callgrind --callgrind-out-file="$file" \
            target/release/client-"$client" "$workload" "$ADDRESS" > /dev/null 2> "$file.log" || status=$?
        if [ "$status" -eq 3 ]; then continue; fi # not expressible with this client
        total=$(grep -m1 '^summary:' "$file" | awk '{print $2}' || true)
        if [ "$status" -ne 0 ] || [ -z "$total" ]; then
            echo "| $workload | $client | failed (see $file.log) |"
            continue
        fi
        echo "| $workload | $client | $((total / ${UNITS[$workload]})) |"
    done
done
