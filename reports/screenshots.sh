#!/usr/bin/env bash
# Regenerates the README's report screenshots: reports/NAME.png for each bundled sample named (default: baseline and
# leaked-private-source, stale-mapping, keepalive-gap), from `natrecon analyze` run into target/screenshots/NAME and headless Chromium.
# Needs chromium (apt-get install -y chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- baseline leaked-private-source stale-mapping keepalive-gap
for name in "$@"; do
  out="target/screenshots/$name"
  ./natrecon analyze --case "samples/$name/case.properties" -o "$out" --fail-on never >/dev/null
  chromium --headless=new --disable-gpu --no-sandbox --hide-scrollbars --no-first-run \
    --disable-background-networking --host-resolver-rules="MAP * ~NOTFOUND" \
    --window-size=1280,2000 --screenshot="$PWD/reports/$name.png" "file://$PWD/$out/report.html" 2>/dev/null
  echo "reports/$name.png"
done
