#!/usr/bin/env bash
# Starts and manages a Sinkron cluster on this machine (loopback only).
#
#   ./run-cluster.sh up [--single] [--only lock|queue|cache] [--data DIR]
#   ./run-cluster.sh status | down | kill NAME | start NAME | logs NAME [-f]
#
# Ports come from SINKRON_BASE_PORT (default 7000): lock1-3 = BASE+1..3, queue1 = BASE+10,
# redis1-3 = BASE+21..23, cache1-3 = BASE+31..33. State (pids, logs, data, certificates,
# the CLI's cli.json) lives under --data DIR (default .cluster/), which git ignores.
# `up` builds the solution first, unless SINKRON_NO_BUILD=1 and the build output is there.
set -uo pipefail
cd "$(dirname "$0")"
repo=$(pwd)

base=${SINKRON_BASE_PORT:-7000}
data="$repo/.cluster"
single=0
only=""

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-2}"
}

verb=${1:-}
[ $# -gt 0 ] && shift
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --single) single=1 ;;
    --only) only=${2:?--only needs lock, queue or cache}; shift ;;
    --data) data=$(mkdir -p "${2:?--data needs a folder}" && cd "$2" && pwd); shift ;;
    -h|--help) usage 0 ;;
    *) args+=("$1") ;;
  esac
  shift
done

# Commands other than `up` act on the cluster as it was started, whatever SINKRON_BASE_PORT says now.
if [ "$verb" != "up" ] && [ -f "$data/run/base" ]; then
  base=$(cat "$data/run/base")
fi

node_dll="$repo/artifacts/bin/Sinkron.Nodes/release/sinkron-node.dll"
cli_dll="$repo/artifacts/bin/Sinkron.Cli/release/sinkron.dll"
certgen_dll="$repo/artifacts/bin/Sinkron.CertGen/release/sinkron-certgen.dll"
certs="$data/certs"
run="$data/run"
logs="$data/logs"

say() { printf '%s\n' "$*"; }
die() { printf 'run-cluster: %s\n' "$*" >&2; exit 1; }

port_of() {
  case "$1" in
    lock[1-3]) echo $((base + ${1#lock})) ;;
    queue1) echo $((base + 10)) ;;
    redis[1-3]) echo $((base + 20 + ${1#redis})) ;;
    cache[1-3]) echo $((base + 30 + ${1#cache})) ;;
    *) return 1 ;;
  esac
}

role_of() { case "$1" in lock*) echo lock ;; queue*) echo queue ;; redis*) echo redis ;; cache*) echo cache ;; esac; }

# The processes of this cluster, in start order (redis before the router that needs it).
members() {
  local want_lock=1 want_queue=1 want_cache=1
  case "$only" in
    "") ;;
    lock) want_queue=0; want_cache=0 ;;
    queue) want_lock=0; want_cache=0 ;;
    cache) want_lock=0; want_queue=0 ;;
    *) die "--only takes lock, queue or cache" ;;
  esac
  if [ "$want_lock" = 1 ]; then
    if [ "$single" = 1 ]; then echo lock1; else echo lock1 lock2 lock3; fi
  fi
  [ "$want_queue" = 1 ] && echo redis1 redis2 redis3 queue1
  [ "$want_cache" = 1 ] && echo cache1 cache2 cache3
}

# Members recorded by the last `up`, so status/down/start work without repeating its flags.
recorded_members() { [ -f "$run/members" ] && cat "$run/members"; }

peers_of() {
  local role=$1 list="" name
  for name in $(recorded_members); do
    [ "$(role_of "$name")" = "$role" ] && list="$list${list:+,}$name=127.0.0.1:$(port_of "$name")"
  done
  echo "$list"
}

pid_of() { [ -f "$run/$1.pid" ] && cat "$run/$1.pid"; }

alive() {
  local pid state
  pid=$(pid_of "$1") || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # A killed node stays a zombie until its adoptive parent reaps it; that is not alive.
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 0
  [ "$state" != "Z" ]
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ensure_redis() {
  command -v redis-server >/dev/null 2>&1 && return 0
  say "redis-server is missing; installing it with apt-get"
  command -v apt-get >/dev/null 2>&1 || die "redis-server is not installed and there is no apt-get: install redis-server and run again"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null; } \
    || die "apt-get could not install redis-server; install it and run again"
}

build() {
  # The bench sets SINKRON_NO_BUILD=1 after its own build, so each cluster it launches skips a
  # solution build that would find nothing to do (20-40 s on two cores); only when all is built.
  if [ "${SINKRON_NO_BUILD:-0}" = "1" ] && [ -f "$node_dll" ] && [ -f "$cli_dll" ] && [ -f "$certgen_dll" ]; then
    say "using the existing build (SINKRON_NO_BUILD=1)"
    return
  fi
  say "building (Release)..."
  dotnet build "$repo/Sinkron.slnx" -c Release -nologo -v q >"$data/build.log" 2>&1 \
    || { tail -n 30 "$data/build.log" >&2; die "build failed (full log: $data/build.log)"; }
}

make_certs() {
  dotnet "$certgen_dll" --out "$certs" --node lock1 lock2 lock3 queue1 cache1 cache2 cache3 --client client --admin admin >/dev/null \
    || die "certgen failed"
}

# A single-node lock cluster keeps its data apart: a log one node committed alone must never be
# replayed beside two others (the node refuses such data; see MembershipFile).
data_of() {
  if [ "$(role_of "$1")" = lock ] && [ "$(recorded_members | grep -c '^lock')" = 1 ]; then
    echo "$data/nodes/single-$1"
  else
    echo "$data/nodes/$1"
  fi
}

command_of() {
  local name=$1 role port
  role=$(role_of "$name")
  port=$(port_of "$name")
  case "$role" in
    redis)
      mkdir -p "$data/redis/$name"
      echo "redis-server --bind 127.0.0.1 --port $port --dir $data/redis/$name --appendonly yes --appendfsync everysec --save '' --daemonize no --protected-mode yes"
      ;;
    lock|cache)
      echo "dotnet $node_dll --role $role --id $name --listen 127.0.0.1:$port --certs $certs --data $(data_of "$name") --peers $(peers_of "$role")"
      ;;
    queue)
      echo "dotnet $node_dll --role queue --id $name --listen 127.0.0.1:$port --certs $certs --data $data/nodes/$name --redis $(peers_of redis)"
      ;;
  esac
}

start_one() {
  local name=$1 cmd
  if alive "$name"; then
    say "$name is already running (pid $(pid_of "$name"))"
    return 0
  fi
  port_busy "$(port_of "$name")" && die "port $(port_of "$name") for $name is already in use by another process"
  cmd=$(command_of "$name")
  mkdir -p "$logs" "$run"
  # setsid: the process outlives this shell and gets its own process group.
  setsid bash -c "exec $cmd" >>"$logs/$name.log" 2>&1 </dev/null &
  echo $! >"$run/$name.pid"
}

answers() {
  local name=$1 port
  port=$(port_of "$name")
  case "$(role_of "$name")" in
    redis) redis-cli -p "$port" ping 2>/dev/null | grep -q PONG ;;
    *) dotnet "$cli_dll" ping --node "127.0.0.1:$port" --certs "$certs" >/dev/null 2>&1 ;;
  esac
}

# A member died while starting: say so with the end of its log, which names the reason (a port in use, a bad setting).
died() {
  local name=$1
  printf 'run-cluster: %s exited; the end of its log (./run-cluster.sh logs %s):\n' "$name" "$name" >&2
  tail -n 5 "$logs/$name.log" 2>/dev/null | sed 's/^/  /' >&2
  exit 1
}

# Waits until member $1 answers, or dies with why, by the deadline $2 (in $SECONDS).
await_member() {
  local name=$1 deadline=$2
  until answers "$name"; do
    alive "$name" || died "$name"
    [ $SECONDS -lt $deadline ] || die "$name did not answer within 60 s; see ./run-cluster.sh logs $name"
    sleep 0.2
  done
}

wait_ready() {
  local name deadline=$((SECONDS + 60))
  for name in $(recorded_members); do
    await_member "$name" "$deadline"
  done
  if grep -q '^lock' "$run/members"; then
    # This cluster's settings, not whatever .cluster/cli.json the CLI would find from here.
    until SINKRON_CLI_CONFIG="$data/cli.json" dotnet "$cli_dll" status 2>/dev/null | grep -q ' leader '; do
      [ $SECONDS -lt $deadline ] || { say "warning: no lock leader elected within 60 s"; break; }
      sleep 0.2
    done
  fi
}

write_cli_config() {
  local lock="" queue="" cache="" redis="" name
  for name in $(recorded_members); do
    local entry="\"127.0.0.1:$(port_of "$name")\""
    case "$(role_of "$name")" in
      lock) lock="$lock${lock:+, }$entry" ;;
      queue) queue="$queue${queue:+, }$entry" ;;
      cache) cache="$cache${cache:+, }$entry" ;;
      redis) redis="$redis${redis:+, }$entry" ;;
    esac
  done
  cat >"$data/cli.json" <<JSON
{
  "certs": "$certs",
  "identity": "client",
  "lockNodes": [$lock],
  "queueNodes": [$queue],
  "cacheNodes": [$cache],
  "redisNodes": [$redis]
}
JSON
}

table() {
  local name pid state
  printf '%-8s %-6s %-16s %-8s %s\n' NAME ROLE ADDRESS PID STATE
  for name in $(recorded_members); do
    pid=$(pid_of "$name" || true)
    if alive "$name"; then
      if answers "$name"; then state=up; else state=starting; fi
    else
      state=down
    fi
    printf '%-8s %-6s %-16s %-8s %s\n' "$name" "$(role_of "$name")" "127.0.0.1:$(port_of "$name")" "${pid:--}" "$state"
  done
}

stop_pids() {
  local signal=$1 name
  shift
  for name in "$@"; do
    alive "$name" && kill "-$signal" "$(pid_of "$name")" 2>/dev/null
  done
}

case "$verb" in
  up)
    mkdir -p "$data" "$run" "$logs"
    if [ -f "$run/members" ]; then
      up_count=0
      for name in $(recorded_members); do alive "$name" && up_count=$((up_count + 1)); done
      if [ "$up_count" -gt 0 ]; then
        say "the cluster in $data is already up ($up_count processes); nothing changed. ./run-cluster.sh status shows it."
        exit 0
      fi
    fi
    members | tr ' ' '\n' >"$run/members"
    echo "$base" >"$run/base"
    needs_redis=0
    grep -q '^redis' "$run/members" && needs_redis=1
    for name in $(recorded_members); do
      port_busy "$(port_of "$name")" && die "port $(port_of "$name") for $name is already in use (set SINKRON_BASE_PORT to move the cluster)"
    done
    [ "$needs_redis" = 1 ] && ensure_redis
    build
    make_certs
    write_cli_config
    for name in $(recorded_members); do
      start_one "$name"
    done
    wait_ready
    table
    say ""
    if [ "$data" = "$repo/.cluster" ]; then
      say "CLI settings: $data/cli.json (./sinkron status works with no flags)"
    else
      say "CLI settings: $data/cli.json (export SINKRON_CLI_CONFIG=$data/cli.json, then ./sinkron status works with no flags)"
    fi
    ;;
  status)
    [ -f "$run/members" ] || die "no cluster in $data; start one with ./run-cluster.sh up"
    table
    ;;
  down)
    [ -f "$run/members" ] || { say "no cluster in $data"; exit 0; }
    mapfile -t all < <(recorded_members)
    stop_pids TERM "${all[@]}"
    deadline=$((SECONDS + 15))
    for name in "${all[@]}"; do
      while alive "$name" && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    done
    stop_pids KILL "${all[@]}"
    deadline=$((SECONDS + 5))
    for name in "${all[@]}"; do
      while alive "$name" && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
      rm -f "$run/$name.pid"
    done
    rm -f "$run/members"
    say "stopped ${#all[@]} processes"
    ;;
  kill)
    name=${args[0]:-}
    [ -n "$name" ] && grep -qx "$name" "$run/members" 2>/dev/null || die "kill needs a cluster member name (see ./run-cluster.sh status)"
    alive "$name" || die "$name is not running"
    kill -KILL "$(pid_of "$name")"
    deadline=$((SECONDS + 10))
    while alive "$name" && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
    say "killed $name (SIGKILL, pid $(pid_of "$name"))"
    ;;
  start)
    name=${args[0]:-}
    [ -n "$name" ] && grep -qx "$name" "$run/members" 2>/dev/null || die "start needs a cluster member name (see ./run-cluster.sh status)"
    start_one "$name"
    await_member "$name" $((SECONDS + 60))
    say "started $name (pid $(pid_of "$name"))"
    ;;
  logs)
    name=${args[0]:-}
    [ -n "$name" ] && [ -f "$logs/$name.log" ] || die "logs needs a member name with a log (see ./run-cluster.sh status)"
    if [ "${args[1]:-}" = "-f" ]; then exec tail -n 50 -f "$logs/$name.log"; else cat "$logs/$name.log"; fi
    ;;
  ""|help) usage 0 ;;
  *) say "unknown verb '$verb'"; usage 2 ;;
esac
