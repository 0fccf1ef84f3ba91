#!/usr/bin/env bash
# Cases per minute: `natrecon batch -j 2` against the Spark job in local[2] over the same generated zip archive.
#   bench/spark-vs-batch.sh [CASES (48)] [CALLS per case (10)] [SECONDS per capture (20)]
# Needs Maven's local repository with Spark (mvn -B dependency:resolve once); prints one line per run and the peak
# heap one case needed (the JVM's own GC log of a batch -j 1 run).
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-48}; calls=${2:-10}; seconds=${3:-20}
work=$(mktemp -d /tmp/natrecon-spark-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
./natrecon --version >/dev/null
jar=target/natrecon.jar
mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=provided -Dmdep.outputFile="$work/spark.cp" >/dev/null
# what spark-submit adds on Java 17 (Spark's launcher JavaModuleOptions; the pom's spark.java17.options)
opens=$(sed -n 's:.*<spark.java17.options>\(.*\)</spark.java17.options>.*:\1:p' pom.xml | head -1)
java -cp "$jar" bench/GenerateCases.java "$work/in/cases" "$cases" "$calls" "$seconds"
(cd "$work/in" && zip -q -r -0 ../cases.zip cases)
echo "archive: $(du -h "$work/cases.zip" | cut -f1) ($cases cases of $calls calls x $seconds s)"
jvm=(-XX:+UseParallelGC -Xmx384m -XX:TieredStopAtLevel=1)   # the launcher's options (README, Performance)
rate() { awk -v n="$cases" -v s="$1" 'BEGIN { printf "%.1f cases/min (%.1f s)", n * 60 / s, s }'; }
for run in 1 2; do
  t0=$(date +%s.%N)
  java "${jvm[@]}" -jar "$jar" batch "$work/cases.zip" -o "$work/out-batch" -j 2 --force >/dev/null
  t1=$(date +%s.%N)
  echo "batch -j 2, run $run: $(rate "$(echo "$t1 - $t0" | bc)")"
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  java $opens "${jvm[@]}" -Xmx1g -cp "$jar:$(cat "$work/spark.cp")" -Dspark.ui.enabled=false \
    -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 \
    dev.natrecon.cli.SparkBatchCommand "$work/cases.zip" -o "$work/out-spark" --master 'local[2]' --force \
    >"$work/spark.log" 2>&1 || { cat "$work/spark.log"; exit 1; }
  t1=$(date +%s.%N)
  echo "spark local[2], run $run: $(rate "$(echo "$t1 - $t0" | bc)") (Spark's own start and stop included)"
done
# peak heap of one case: the largest heap occupancy before a collection, one case at a time
java -XX:+UseParallelGC -Xmx384m -XX:TieredStopAtLevel=1 -Xlog:gc:file="$work/gc.log" -jar "$jar" batch \
  "$work/in/cases/case001" -o "$work/out-one" -j 1 >/dev/null
awk '/Pause/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+M->[0-9]+M/) { split($i, a, "M->"); if (a[1] + 0 > m) m = a[1] + 0 } }
     END { printf "one case: peak heap %d MiB before a collection (-Xmx384m)\n", m }' "$work/gc.log"
cmp <(cut -d, -f1-8 "$work/out-batch/summary.csv") <(cut -d, -f1-8 "$work/out-spark/summary.csv") \
  && echo "summary.csv: the same rows (case to inputs_sha256)"
