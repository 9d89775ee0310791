#!/usr/bin/env bash
# Startup benchmark: bin/local-ai-runtime from exec to the first 200 of /health, in a fresh RUNTIME_HOME,
# against a baseline measured in the same run: the bare JVM (java -version) on the same machine.
# Usage: bench/startup.sh [runs]   (build first: mvn -B package -DskipTests)
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
port=18197
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

jvm=(); rt=()
for i in $(seq "$runs"); do
  t=$(date +%s%N); java -version >/dev/null 2>&1; jvm+=("$(ms "$t")")
  home=$(mktemp -d)
  t=$(date +%s%N)
  RUNTIME_HOME="$home" RUNTIME_LISTEN_PORT=$port "$SRC/bin/local-ai-runtime" >"$home/log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1; do sleep 0.01; done
  rt+=("$(ms "$t")")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$home"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
j=$(median "${jvm[@]}"); r=$(median "${rt[@]}")
echo "runs=$runs  jvm(java -version) median=${j} ms  runtime start->first 200 median=${r} ms  ratio=$(awk "BEGIN{printf \"%.1f\", $r/$j}")x"
echo "runtime samples: ${rt[*]}"
