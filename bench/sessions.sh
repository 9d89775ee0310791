#!/usr/bin/env bash
# Session store cost: sequential chat completions to the scripted provider with the memory, file and Redis
# stores (a redis-server started on a free port), as latency p50/p99 and ratios against memory in the same run.
# Usage: bench/sessions.sh   (needs redis-server; builds what it needs first)
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
cd "$SRC"
mvn -B -q install -DskipTests
mvn -B -q -pl session.itest dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -cp "session.itest/target/test-classes:$(cat session.itest/target/bench.classpath)" \
  -Drepo.root="$SRC" -Druntime.home="$SRC/session.itest/target/bench" \
  -Dscripted.provider.jar="$SRC/test.provider.scripted/target/test.provider.scripted.jar" \
  ai.local.runtime.session.itest.SessionBench
