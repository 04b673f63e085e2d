#!/usr/bin/env bash
# Sinkron's benchmarks.
#   ./run-bench.sh micro [--job dry|short|medium] [BenchmarkDotNet args]   micro suite + zero-allocation gate
#   ./run-bench.sh macro --scenario wire|lock|... [options]               load generator (macro --help)
#   ./run-bench.sh compare [options]                                      single vs 3-node lock cluster
#   ./run-bench.sh queue-compare [options]                                queue router vs straight to Redis, alternated
#   ./run-bench.sh failover [--rounds N]                                  leader kill -> lock granted again, timed
#   ./run-bench.sh raft [--in-flight N]                                   Raft alone: entries proposed inside the leader
#   ./run-bench.sh disk [--streams 1,2,3] [--lockstep]                    append + fdatasync latency, N streams at once
#   ./run-bench.sh ab --base REV [--rounds N] [-- macro args]              this build against REV's, alternated runs
#   ./run-bench.sh floor [--rounds N] [-- macro args]                      single vs single + second WAL copy vs 3 nodes
#   ./run-bench.sh smoke                                                  what CI runs: dry micro gate + tiny macro, raft, disk, floor, compare, queue-compare
set -euo pipefail
cd "$(dirname "$0")"

bench=artifacts/bin/Sinkron.Bench/release/sinkron-bench.dll
if [ "${SINKRON_NO_BUILD:-0}" != "1" ]; then
  dotnet build Sinkron.slnx -c Release -nologo -v q >/dev/null
fi
# Built once: the clusters compare and failover launch through run-cluster.sh reuse this build.
export SINKRON_NO_BUILD=1

verb=${1:-}
[ $# -gt 0 ] && shift
case "$verb" in
  micro)
    # Timings are taken the way the nodes run: tiered compilation with dynamic PGO (BenchmarkDotNet's
    # warm-up lets the hot code reach tier 1). The dry job, the allocation gate, keeps the bench's own
    # setting: fully optimized from the first call, so no tier-up work lands inside its few iterations.
    case " $* " in
      *" --job dry "*) ;;
      *) export DOTNET_TieredCompilation=1 DOTNET_TieredPGO=1 ;;
    esac
    exec dotnet "$bench" micro "$@"
    ;;
  macro|compare|queue-compare|failover|raft|disk)
    exec dotnet "$bench" "$verb" "$@"
    ;;
  ab)
    exec tools/bench/ab.sh "$@"
    ;;
  floor)
    exec tools/bench/floor.sh "$@"
    ;;
  smoke)
    dotnet "$bench" micro --job dry
    dotnet "$bench" macro --scenario wire --users 8 --connections 2 --warmup 1s --duration 2s --assert "fail<1%"
    dotnet "$bench" raft --warmup 1s --duration 2s
    dotnet "$bench" disk --streams 1,3 --duration 1s --dir artifacts
    dotnet "$bench" disk --streams 2 --lockstep --duration 1s --dir artifacts
    tools/bench/floor.sh --rounds 1 -- --users 8 --warmup 1s --duration 2s --assert "fail<1%"
    dotnet "$bench" compare --users 8 --ramp 0 --warmup 1s --duration 2s --rounds 2 --base-port "${SINKRON_SMOKE_BASE_PORT:-7800}" \
      --report artifacts/bench-smoke --assert "fail<1%"
    dotnet "$bench" queue-compare --rounds 1 --warmup 1s --duration 2s --prefill 1000000 \
      --base-port $(( ${SINKRON_SMOKE_BASE_PORT:-7800} + 200 )) --report artifacts/bench-smoke-queue --assert "fail<1%"
    ;;
  *)
    echo "usage: ./run-bench.sh micro|macro|compare|queue-compare|failover|raft|disk|ab|floor|smoke [options]" >&2
    exit 2
    ;;
esac
