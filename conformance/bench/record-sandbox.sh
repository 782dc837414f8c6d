#!/usr/bin/env bash
# Times `kyc-conformance record` of a whole suite against a stand-in sandbox on 127.0.0.1: the
# mock served on the wall clock with its default delays (2 s in PENDING, 5 s in REVIEW), so
# every wait polls in real time, as against connectFi's sandbox.
#
#   conformance/bench/record-sandbox.sh BINARY CASSETTES [EXTRA RECORD ARGS...]
#
# BINARY is a kyc-conformance binary (an older build for a before/after figure), CASSETTES the
# suite it records (that build's own). Prints the wall time, how many cases were recorded, and
# leaves the recording in a temporary directory it names.
set -euo pipefail
binary=$1; cassettes=$2; shift 2
port=$((20000 + RANDOM % 20000))
token=bench-token-not-secret
"$binary" mock --addr "127.0.0.1:$port" --token "$token" >/dev/null 2>&1 &
mock=$!
trap 'kill $mock 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
  sleep 0.1
done
out=$(mktemp -d)
start=$(date +%s.%N)
set +e
CONNECTFI_TOKEN=$token CONNECTFI_LOGIN=demo CONNECTFI_PASSWORD=demo-password NO_PROXY=127.0.0.1 \
  "$binary" record --target "http://127.0.0.1:$port" --cassettes "$cassettes" --out "$out" "$@" \
  >"$out.log" 2>&1
code=$?
set -e
end=$(date +%s.%N)
echo "exit $code, $(printf '%.1f' "$(echo "$end - $start" | bc)") s, $(ls "$out" | wc -l) cassettes written to $out"
grep -E "^(not recorded|could not record)" "$out.log" | cut -c1-160 || true
