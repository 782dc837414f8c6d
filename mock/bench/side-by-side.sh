#!/usr/bin/env bash
# Several mock builds against the bare axum server, side by side in the same minutes: each
# server starts once with the 100k customers, then every round loads each in turn with wrk
# and reports its rate and its CPU per request (utime + stime from /proc, which moves far less
# between runs than the rate does on a shared VM).
#   mock/bench/side-by-side.sh ROUNDS ENDPOINT BINARY...
# ENDPOINT is kyc or akepa; each BINARY is a kyc-conformance build (copy target/release/
# kyc-conformance aside before changing the code, to compare before and after).
# DURATION_S (default 8) is each measured run; each is preceded by a 2 s warm-up.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:?ROUNDS}; endpoint=${2:?ENDPOINT}; shift 2
[ $# -gt 0 ] || { echo "give at least one kyc-conformance binary" >&2; exit 2; }
case "$endpoint" in
  kyc) script=mock/bench/mock-load.lua ;;
  akepa) script=mock/bench/akepa-load.lua ;;
  *) echo "ENDPOINT must be kyc or akepa" >&2; exit 2 ;;
esac
duration=${DURATION_S:-8}
cargo build --release -q -p kyc-mock --example mock_bare_baseline
target=${CARGO_TARGET_DIR:-target}
export WRK_THREADS=2

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
"$target/release/examples/mock_bare_baseline" 127.0.0.1:8091 & pids+=($!)
names=(bare); ports=(8091); servers=($!)
port=8100
for bin in "$@"; do
  RUST_LOG=warn "$bin" mock --addr 127.0.0.1:$port --token bench-token \
    --scenarios mock/bench/scenarios-100k.json & pids+=($!)
  names+=("$(basename "$bin")"); ports+=($port); servers+=($!)
  port=$((port + 1))
done
sleep 2

ticks=$(getconf CLK_TCK)
measure() { # name port pid
  wrk -t2 -c32 -d2s -s "$script" "http://127.0.0.1:$2" > /dev/null
  local before after out n rps
  before=$(awk '{print $14 + $15}' "/proc/$3/stat")
  out=$(wrk -t2 -c32 -d"${duration}s" -s "$script" "http://127.0.0.1:$2")
  after=$(awk '{print $14 + $15}' "/proc/$3/stat")
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  awk -v name="$1" -v rps="$rps" -v n="$n" -v t=$((after - before)) -v hz="$ticks" \
    'BEGIN { printf "%-24s req/s=%9.0f cpu_us_per_req=%5.1f\n", name, rps, t * 1e6 / hz / n }'
}
for round in $(seq "$rounds"); do
  echo "round $round of $rounds"
  for i in "${!names[@]}"; do measure "${names[$i]}" "${ports[$i]}" "${servers[$i]}"; done
done
