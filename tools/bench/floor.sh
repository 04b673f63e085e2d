#!/usr/bin/env bash
# What the shared disk leaves of the ratio target, measured with real clients:
#   ./run-bench.sh floor [--rounds N] [-- MACRO ARGS]
# Alternates three runs of the same lock load, N times (default 3), each on fresh self-started nodes:
#   single  one lock node, as `compare` runs it;
#   mirror  one lock node started with --wal-mirror: every WAL batch also goes to a second file on the same
#           disk, fdatasynced in parallel, and a commit waits for both copies. That is the disk wait of a 3-node
#           commit on this machine (the leader's copy and one follower's) with no network, no follower and no
#           third WAL: a floor no 3-node build that keeps Raft's durability can go below here;
#   three   the 3-node cluster.
# Prints every run, then the medians of the per-round ratios to the single node (throughput and p50).
# Default load: the issue's, 100 users, 12 s warm-up, 10 s measured.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/stats.sh

rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "floor: unknown option '$1' (usage: ./run-bench.sh floor [--rounds N] [-- MACRO ARGS])" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || set -- --users 100 --warmup 12s --duration 10s

bench=artifacts/bin/Sinkron.Bench/release/sinkron-bench.dll
mirror=$(mktemp -u "${TMPDIR:-/tmp}/sinkron-wal-mirror.XXXXXX")
trap 'rm -f "$mirror"' EXIT

run() {
  local variant=$1
  shift
  case "$variant" in
    single) dotnet "$bench" macro --scenario lock --cluster-size 1 "$@" ;;
    mirror) SINKRON_WALMIRROR=$mirror dotnet "$bench" macro --scenario lock --cluster-size 1 "$@" ;;
    three) dotnet "$bench" macro --scenario lock --cluster-size 3 "$@" ;;
  esac 2>&1 | summary_row
}

declare -A rate_ratios=() p50_ratios=()
for round in $(seq 1 "$rounds"); do
  declare -A rate=() p50=()
  for variant in single mirror three; do
    line=$(CI=true run "$variant" "$@")
    rm -f "$mirror"
    [ -n "$line" ] || { echo "floor: the $variant run printed no summary row" >&2; exit 1; }
    read -r "rate[$variant]" "p50[$variant]" <<<"$line"
    printf 'round %d %-6s %8s ops/s  p50 %s ms\n' "$round" "$variant" "${rate[$variant]}" "${p50[$variant]}"
  done
  for variant in mirror three; do
    rate_ratios[$variant]+="$(awk -v v="${rate[$variant]}" -v s="${rate[single]}" 'BEGIN { printf "%.3f", v / s }') "
    p50_ratios[$variant]+="$(awk -v v="${p50[$variant]}" -v s="${p50[single]}" 'BEGIN { printf "%.3f", v / s }') "
  done
done

for variant in mirror three; do
  printf '%-6s / single, median of %d rounds: throughput %s, p50 %s  (rounds: %s| %s)\n' "$variant" "$rounds" \
    "$(median "${rate_ratios[$variant]}")" "$(median "${p50_ratios[$variant]}")" "${rate_ratios[$variant]}" "${p50_ratios[$variant]}"
done
