#!/usr/bin/env bash
# Measures what checked query modules add to a debug build: a crate with one
# `#[queries]` function, then the same crate with 100, each timed (median of
# runs) after its dependencies are built. Prints the cost per query, in
# wall time and in CPU time.
# With SCHEMA=1 the crate has a neo-schema.toml, so every query is also
# checked against it.
set -euo pipefail
# A failed build inside $(…) stops the script too.
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=target/query-expansion-cost
RUNS=${RUNS:-5}
SCHEMA=${SCHEMA:-0}
export CARGO_TARGET_DIR=$ROOT/target/query-expansion-cost-target

generate() {
    local count=$1
    mkdir -p "$WORK/src"
    cat >"$WORK/Cargo.toml" <<TOML
[package]
name = "query-expansion-cost"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
neo-runtime = { path = "$ROOT/neo-runtime" }

[workspace]
TOML
    if [ "$SCHEMA" = 1 ]; then
        cat >"$WORK/neo-schema.toml" <<'TOML'
[nodes.Person]
name = "STRING NOT NULL"
age = "INTEGER"

[nodes.Company]
name = "STRING NOT NULL"

[relationships.KNOWS]
since = "DATE"

[relationships.WORKS_FOR]
TOML
    else
        rm -f "$WORK/neo-schema.toml"
    fi
    {
        echo "#[neo_runtime::queries]"
        echo "pub mod generated {"
        echo "    use neo_runtime::Record;"
        for i in $(seq 1 "$count"); do
            echo "    #[query(\"MATCH (p:Person {name: \$name})-[:KNOWS]->(f:Person) WHERE f.age > \$age$i OPTIONAL MATCH (f)-[:WORKS_FOR]->(c:Company) RETURN f.name AS friend$i, c.name AS company, count(*) AS n ORDER BY friend$i LIMIT 10\")]"
            echo "    pub fn query_$i(name: &str, age$i: i64) -> Vec<Record>;"
        done
        echo "}"
    } >"$WORK/src/lib.rs"
}

# Median wall time and median CPU time (user + system, of cargo and the
# compiler it runs) of RUNS rebuilds of the crate, in ms. CPU time moves
# much less than wall time when other builds share the machine.
median_build_ms() {
    local walls=() cpus=() timing
    for _ in $(seq 1 "$RUNS"); do
        touch "$WORK/src/lib.rs"
        timing=$( { TIMEFORMAT='%3R %3U %3S'; time cargo build --quiet --manifest-path "$WORK/Cargo.toml"; } 2>&1 )
        read -r wall user system <<<"$(tail -n 1 <<<"$timing")"
        walls+=("$(awk -v s="$wall" 'BEGIN { printf "%d", s * 1000 }')")
        cpus+=("$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%d", (u + s) * 1000 }')")
    done
    echo "$(median "${walls[@]}") $(median "${cpus[@]}")"
}

median() {
    printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"
}

# The added milliseconds per query between a build of 1 and of 100, to a
# tenth.
per_query() {
    local tenths=$((($2 - $1) * 10 / 99)) sign=""
    if [ "$tenths" -lt 0 ]; then
        sign="-"
        tenths=$((-tenths))
    fi
    echo "$sign$((tenths / 10)).$((tenths % 10))"
}

generate 1
cargo build --quiet --manifest-path "$WORK/Cargo.toml"
read -r one_wall one_cpu <<<"$(median_build_ms)"
generate 100
read -r hundred_wall hundred_cpu <<<"$(median_build_ms)"
echo "schema file: $([ "$SCHEMA" = 1 ] && echo yes || echo no)"
echo "debug build of the crate, median of $RUNS: 1 query ${one_wall} ms (CPU ${one_cpu} ms), 100 queries ${hundred_wall} ms (CPU ${hundred_cpu} ms)"
echo "added per query: $(per_query "$one_wall" "$hundred_wall") ms (CPU $(per_query "$one_cpu" "$hundred_cpu") ms)"
