#!/usr/bin/env bash
# Bounded fuzzing run of every Jazzer fuzz target (README "Reliability: fuzzing").
#
#   fuzz/run.sh SECONDS [fully.qualified.Class#method ...]
#
# Runs each target (default: all of them) in fuzzing mode for SECONDS (libFuzzer's -max_total_time), one JVM per
# target because Jazzer fuzzes one @FuzzTest per JVM, with a 512 MB heap and a 30 s limit per input (an input that
# runs longer is a finding: a hang). Prints the executions each target ran. A target that finds a crash, hang or
# out-of-memory fails the run; its input (crash-*, timeout-*, oom-*, slow-unit-*) is moved into the target's corpus
# folder src/test/resources/<package>/<Class>Inputs/<method>/ so that `mvn -B test` replays it as a regression
# input from then on. Logs: target/fuzz/<Class>-<method>.log. Inputs the fuzzer found interesting are kept in
# .cifuzz-corpus/ (not committed) and reused by the next run.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: fuzz/run.sh SECONDS [Class#method ...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(
    dev.natrecon.capture.CaptureReaderFuzzTest#rawBytes
    dev.natrecon.capture.CaptureReaderFuzzTest#compressed
    dev.natrecon.decode.PacketDecoderFuzzTest#frame
    dev.natrecon.reassembly.DefragmenterFuzzTest#fragments
    dev.natrecon.reassembly.SipStreamFramerFuzzTest#splitPoints
    dev.natrecon.reassembly.SipStreamFramerFuzzTest#sequenceNumbers
    dev.natrecon.decode.sip.SipParserFuzzTest#datagram
    dev.natrecon.decode.sdp.SdpBodyFuzzTest#body
    dev.natrecon.alg.sip.KernelSipTextFuzzTest#message
    dev.natrecon.conntrack.SipHelperFuzzTest#udpMessages
    dev.natrecon.conntrack.RouterTextFuzzTest#ruleset
    dev.natrecon.conntrack.RouterTextFuzzTest#nft
    dev.natrecon.conntrack.RouterTextFuzzTest#iptablesSave
    dev.natrecon.conntrack.RouterTextFuzzTest#conntrackLines
    dev.natrecon.batch.WholeCaseFuzzTest#analyzePair
  )
fi

mvn -B -q -Dstyle.color=never test-compile dependency:build-classpath -Dmdep.outputFile=target/fuzz.classpath -Dmdep.includeScope=test \
  || { echo "fuzz: build failed" >&2; exit 2; }
cp="target/test-classes:target/classes:$(cat target/fuzz.classpath)"
mkdir -p target/fuzz
failed=0
printf '%-58s %12s %8s  %s\n' target executions exec/s result
for t in "${targets[@]}"; do
  class=${t%#*} method=${t#*#}
  simple=${class##*.} package=${class%.*}
  inputs="src/test/resources/${package//.//}/${simple}Inputs"
  mkdir -p "$inputs/$method"
  log="target/fuzz/$simple-$method.log"
  marker=$(mktemp)
  JAZZER_FUZZ=1 timeout $((seconds * 2 + 600)) java -Xmx512m -cp "$cp" \
    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$seconds" \
    -Djazzer.internal.arg.2=-print_final_stats=1 -Djazzer.internal.arg.3=-timeout=30 \
    dev.natrecon.FuzzRunner "$t" >"$log" 2>&1
  rc=$?
  execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -1)
  rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log" | tail -1)
  found=()
  while IFS= read -r f; do
    [ -n "$f" ] || continue
    dest="$inputs/$method/$(basename "$f")"
    [ "$f" -ef "$dest" ] || mv "$f" "$dest"
    found+=("$dest")
  done < <({ find . "$inputs" "$inputs/$method" -maxdepth 1 -type f -newer "$marker" \
               \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'slow-unit-*' \) 2>/dev/null; } | sort -u)
  rm -f "$marker"
  if [ $rc -eq 0 ] && [ ${#found[@]} -eq 0 ]; then
    result=ok
  else
    failed=1
    result="FINDING (exit $rc, log $log)"
    [ ${#found[@]} -gt 0 ] && result="$result; input kept as ${found[*]}"
  fi
  printf '%-58s %12s %8s  %s\n' "$simple#$method" "${execs:--}" "${rate:--}" "$result"
done
if [ $failed -ne 0 ]; then
  echo "fuzz: a target found a crash; its input is now a regression input (mvn -B test replays it): fix the cause" >&2
fi
exit $failed
