#!/usr/bin/env bash
# Load test: the mock against a bare axum server answering the same 200 body, both on
# loopback, with wrk. Prints req/s, p99, errors, the ratio, and the mock's memory over time.
#   mock/bench/mock-load.sh [DURATION_S=60] [CONNECTIONS=32] [THREADS=2]
# ENDPOINT=akepa measures POST /akepa/identification instead of POST /customer/kyc/init (the bare
# server answers both with a canned body of the right shape).
# ROUNDS=N alternates bare and mock N times (each run DURATION_S long) and prints every round's
# ratio and their median: on a shared 2-core VM the bare server's own rate drifts by 15-25%
# between runs a minute apart, so one pair of runs can land anywhere in that band.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-60}; conns=${2:-32}; threads=${3:-2}
cargo build --release -q -p kyc-conformance --bin kyc-conformance
cargo build --release -q -p kyc-mock --example mock_bare_baseline
# Where cargo put the binaries: CARGO_TARGET_DIR when set (shared build directories), else target/.
target=${CARGO_TARGET_DIR:-target}
bin=$target/release/kyc-conformance
bare=$target/release/examples/mock_bare_baseline
case "${ENDPOINT:-kyc}" in
  kyc) script=mock/bench/mock-load.lua ;;
  akepa) script=mock/bench/akepa-load.lua ;;
  *) echo "ENDPOINT must be kyc or akepa" >&2; exit 2 ;;
esac
export WRK_THREADS=$threads

run() { # name url
  wrk -t"$threads" -c"$conns" -d"${duration}s" --latency -s "$script" "$2" > "/tmp/mock-load-$1.txt"
  local rps p99 summary
  rps=$(awk '/Requests\/sec/ {print $2}' "/tmp/mock-load-$1.txt")
  summary=$(grep '^p50_us' "/tmp/mock-load-$1.txt")
  echo "$1: req/s=$rps $summary"
  echo "$rps" > "/tmp/mock-load-$1.rps"
}

$bare 127.0.0.1:8091 & bare_pid=$!
RUST_LOG=warn $bin mock --addr 127.0.0.1:8090 --token bench-token --scenarios mock/bench/scenarios-100k.json & mock_pid=$!
trap 'kill $bare_pid $mock_pid 2>/dev/null || true' EXIT
sleep 1

rounds=${ROUNDS:-1}
( for i in $(seq 0 5 $((duration * rounds * 2 + 5))); do
    echo "t=${i}s rss_kib=$(ps -o rss= -p $mock_pid | tr -d ' ')"; sleep 5
  done ) > /tmp/mock-load-rss.txt &
rss_pid=$!
: > /tmp/mock-load-ratios.txt
for round in $(seq "$rounds"); do
  [ "$rounds" -gt 1 ] && echo "round $round of $rounds"
  run bare http://127.0.0.1:8091
  run mock http://127.0.0.1:8090
  awk -v m="$(cat /tmp/mock-load-mock.rps)" -v b="$(cat /tmp/mock-load-bare.rps)" \
    'BEGIN { r = m / b; printf "%.3f\n", r >> "/tmp/mock-load-ratios.txt"; printf "ratio mock/bare = %.3f\n", r }'
done
kill $rss_pid 2>/dev/null || true
echo "memory of the mock during its runs:"; cat /tmp/mock-load-rss.txt
echo "after: rss_kib=$(ps -o rss= -p $mock_pid | tr -d ' ')"
if [ "$rounds" -gt 1 ]; then
  sort -n /tmp/mock-load-ratios.txt | awk '{ r[NR] = $1 } END {
    m = (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
    printf "median ratio over %d rounds = %.3f (min %.3f, max %.3f)\n", NR, m, r[1], r[NR] }'
fi
