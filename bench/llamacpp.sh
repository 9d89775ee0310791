#!/usr/bin/env bash
# llama.cpp benchmark: decode tok/s through HTTP streaming vs raw java-llama.cpp (same generated ~55 MB model,
# same threads), second-turn time to first token with and without KV prefix reuse, RSS over model switches.
# Usage: bench/llamacpp.sh   (env BENCH_THREADS, default 2; BENCH_SECTIONS, default decode,turn,rss).
# Builds what it needs first. Run it on an otherwise idle machine: it measures CPU-bound decoding.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
cd "$SRC"
mvn -B -q install -DskipTests
mvn -B -q -pl llamacpp.itest dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
mkdir -p llamacpp.itest/target/bench
exec java -cp "llamacpp.itest/target/test-classes:$(cat llamacpp.itest/target/bench.classpath)" \
  -Drepo.root="$SRC" -Druntime.home="$SRC/llamacpp.itest/target/bench/runtime-home" \
  -Dbench.dir="$SRC/llamacpp.itest/target/bench" -Dbench.threads="${BENCH_THREADS:-2}" -Dbench.sections="${BENCH_SECTIONS:-decode,turn,rss}" \
  ai.local.runtime.llamacpp.itest.LlamaBench
