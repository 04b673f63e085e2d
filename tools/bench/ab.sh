#!/usr/bin/env bash
# A/B of two builds on the same load, alternated so the machine's drift hits both alike:
#   ./run-bench.sh ab --base REV [--rounds N] [-- MACRO ARGS]
# Builds REV in a git worktree under artifacts/ab/ (kept, keyed by commit), then runs
# `sinkron-bench macro MACRO ARGS` with REV's build and with this checkout's build, in turn, N
# times (default 3), each run on fresh self-started nodes. Prints every run's ops/s and p50,
# then the medians and the ratio this/base. Default load: the 3-node lock load of the issue,
# 100 users, 12 s warm-up, 12 s measured.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/stats.sh

base="" rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "ab: unknown option '$1' (usage: ./run-bench.sh ab --base REV [--rounds N] [-- MACRO ARGS])" >&2; exit 2 ;;
  esac
done
[ -n "$base" ] || { echo "ab: --base REV is required (a commit, branch or tag)" >&2; exit 2; }
sha=$(git rev-parse --verify "$base^{commit}") || { echo "ab: '$base' is not a commit here" >&2; exit 2; }
[ $# -gt 0 ] || set -- --scenario lock --cluster-size 3 --users 100 --warmup 12s --duration 12s

tree="artifacts/ab/${sha:0:12}"
if [ ! -f "$tree/artifacts/bin/Sinkron.Bench/release/sinkron-bench.dll" ]; then
  [ -d "$tree" ] || git worktree add --detach "$tree" "$sha" >/dev/null
  echo "ab: building ${sha:0:12} in $tree"
  dotnet build "$tree/Sinkron.slnx" -c Release -nologo -v q >/dev/null
fi

declare -A bench=(
  [base]="$tree/artifacts/bin/Sinkron.Bench/release/sinkron-bench.dll"
  [this]="artifacts/bin/Sinkron.Bench/release/sinkron-bench.dll"
)
declare -A rates=() p50s=()
for round in $(seq 1 "$rounds"); do
  for side in base this; do
    line=$(dotnet "${bench[$side]}" macro "$@" 2>&1 | summary_row)
    [ -n "$line" ] || { echo "ab: the $side run printed no summary row" >&2; exit 1; }
    read -r rate p50 <<<"$line"
    printf 'round %d %-4s %10s ops/s  p50 %s ms\n' "$round" "$side" "$rate" "$p50"
    rates[$side]+="$rate "
    p50s[$side]+="$p50 "
  done
done

rb=$(median "${rates[base]}") rt=$(median "${rates[this]}")
pb=$(median "${p50s[base]}") pt=$(median "${p50s[this]}")
echo "median: base $rb ops/s (p50 $pb ms), this $rt ops/s (p50 $pt ms)"
awk -v b="$rb" -v t="$rt" -v pb="$pb" -v pt="$pt" 'BEGIN { printf "this / base: throughput %.3f, p50 %.3f\n", t / b, pt / pb }'
