#!/usr/bin/env bash
# Installs what the tests need, builds everything once in Release, runs every test project,
# and prints `tests: N passed, M failed` counted from the TRX results (not dotnet test's summary).
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)

log() { printf '[run-tests] %s\n' "$*"; }

ensure_redis() {
  if command -v redis-server >/dev/null 2>&1; then
    return 0
  fi
  log "redis-server is missing; installing it with apt-get (queue tests start real Redis nodes)"
  if ! command -v apt-get >/dev/null 2>&1; then
    log "no apt-get here: install redis-server yourself (it must be on PATH)"
    return 1
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null; }; then
    log "apt-get could not install redis-server; install it and run again"
    return 1
  fi
}

ensure_redis || exit 1

log "building (Release)"
if ! dotnet build Sinkron.slnx -c Release -nologo -v q; then
  log "build failed"
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  log "running $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" --blame-hang-timeout 10m || true
done

passed=0
failed=0
found=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  found=$((found + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$counters")
  a=$(sed -n 's/.* aborted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
done

# CI shows only the end of the output, so the failures are named there, with their first lines.
list_failures() {
  awk '
    /<UnitTestResult / && /outcome="Failed"/ {
      match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11)
      gsub(/&quot;/, "\"", name); print "  FAILED " name; want = 1; next
    }
    want && /<Message>/ { sub(/.*<Message>/, ""); shown = 0; inmsg = 1 }
    inmsg { line = $0; gsub(/&quot;/, "\"", line); sub(/<\/Message>.*/, "", line); if (shown++ < 4) print "    " line; if ($0 ~ /<\/Message>/) { inmsg = 0; want = 0 } }
  ' "$@"
}

if [ "$failed" -gt 0 ] && [ "$found" -gt 0 ]; then
  log "failed tests:"
  list_failures "$results"/*.trx
fi

if [ "$found" -eq 0 ]; then
  log "no test results were written"
  failed=$((failed + 1))
fi

if [ -x ./run-bench.sh ] && [ "${SINKRON_SKIP_BENCH_SMOKE:-0}" != "1" ]; then
  log "benchmark smoke: zero-allocation gate"
  if SINKRON_NO_BUILD=1 ./run-bench.sh smoke; then
    passed=$((passed + 1))
  else
    log "benchmark smoke failed"
    failed=$((failed + 1))
  fi
fi

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
