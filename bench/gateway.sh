#!/usr/bin/env bash
# Gateway overhead: the same fast upstream directly, through nginx proxy_pass and through the runtime
# (provider.openai), driven by wrk; plus SSE chunks/s through one long stream. Ratios in the same run.
# Usage: bench/gateway.sh   (needs nginx and wrk: apt-get install nginx-light wrk; builds what it needs first)
# BENCH_SECONDS (default 10) per measurement; BENCH_ROUNDS (default 3) rounds, medians reported;
# BENCH_WARMUP (default 120) seconds of load on the runtime first, so its JIT has compiled the request path.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
cd "$SRC"
command -v nginx >/dev/null && command -v wrk >/dev/null || { echo "needs nginx and wrk (apt-get install nginx-light wrk)" >&2; exit 1; }
mvn -B -q install -DskipTests
mvn -B -q -pl providers.itest dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -cp "providers.itest/target/test-classes:$(cat providers.itest/target/bench.classpath)" \
  -Drepo.root="$SRC" -Druntime.home="$SRC/providers.itest/target/bench/home" \
  -Dproviders.dir="$SRC/launcher/target/providers" -Dbench.seconds="${BENCH_SECONDS:-10}" -Dbench.rounds="${BENCH_ROUNDS:-3}" \
  -Dbench.warmup.seconds="${BENCH_WARMUP:-120}" \
  ai.local.runtime.providers.itest.GatewayBench
