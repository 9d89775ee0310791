#!/usr/bin/env bash
# llama.cpp benchmark: streamed decode tok/s through the runtime vs llama-server of the same llama.cpp release
# (same generated ~55 MB F16 model and its Q4_K_M quantization, threads, slots and request), prompt processing vs
# llama-bench pp512, second-turn time to first token with and without KV prefix reuse, RSS over model switches.
# Usage: bench/llamacpp.sh   (env BENCH_THREADS, default 2; BENCH_SECTIONS, default decode,turn,rss;
#        BENCH_PROMPT_ROUNDS, default 7: alternating llama-bench / runtime rounds of the prompt figure;
#        LLAMA_BIN: a directory with llama-server, llama-bench and llama-quantize, else they are built here from the
#        pinned source;
#        BENCH_MVN_ARGS=-Pllama-from-source: the runtime on llama.cpp built for this CPU instead of the npm build)
# Builds what it needs first (llama.cpp with cmake: about 10 minutes on 2 cores, once). Run it on an otherwise idle
# machine: it measures CPU-bound decoding.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
cd "$SRC"
mvn -B -q install -DskipTests ${BENCH_MVN_ARGS:-}
if [ -z "${LLAMA_BIN:-}" ]; then
  LLAMA_BIN="$SRC/llama.engine/target/llama-build/bin"
  if [ ! -x "$LLAMA_BIN/llama-server" ] || [ ! -x "$LLAMA_BIN/llama-bench" ] || [ ! -x "$LLAMA_BIN/llama-quantize" ]; then
    # the same source and release as the engine's libraries (llama.engine fetched it for its tests)
    mvn -B -q -pl llama.engine generate-test-resources
    cmake -S llama.engine/target/llama-src -B llama.engine/target/llama-build -DCMAKE_BUILD_TYPE=Release \
      -DBUILD_SHARED_LIBS=OFF -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF >/dev/null
    cmake --build llama.engine/target/llama-build -j"$(nproc)" --target llama-server llama-bench llama-quantize >/dev/null
  fi
fi
mvn -B -q -pl llamacpp.itest dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
mkdir -p llamacpp.itest/target/bench
exec java -cp "llamacpp.itest/target/test-classes:$(cat llamacpp.itest/target/bench.classpath)" \
  -Drepo.root="$SRC" -Druntime.home="$SRC/llamacpp.itest/target/bench/runtime-home" \
  -Dbench.dir="$SRC/llamacpp.itest/target/bench" -Dbench.threads="${BENCH_THREADS:-2}" -Dbench.sections="${BENCH_SECTIONS:-decode,turn,rss}" \
  -Dbench.prompt.rounds="${BENCH_PROMPT_ROUNDS:-7}" \
  -Dbench.llama.server="$LLAMA_BIN/llama-server" -Dbench.llama.bench="$LLAMA_BIN/llama-bench" \
  -Dbench.llama.quantize="$LLAMA_BIN/llama-quantize" \
  ai.local.runtime.llamacpp.itest.LlamaBench
