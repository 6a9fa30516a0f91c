#!/bin/sh
# Year-end analysis report of a chain with 300 more nodes and 2,000 enterprises on SQLite, as DOCX
# and as PDF (see docs/BENCHMARKS.md). Usage: bench/reports.sh [WORKDIR]; needs a release build.
set -eu
B=$(pwd)/target/release/chainchief
W=${1:-/tmp/bench-reports}
PORT=18182
export CHAINCHIEF_DEMO_PASSWORD='Bench-Pass-2026'
rm -rf "$W" && mkdir -p "$W"
DB="sqlite://$W/demo/chainchief.db"
YEAR=$(date +%Y)

"$B" demo --data-dir "$W/demo" --port $PORT > "$W/demo.log" 2>&1 & PID=$!
until grep -q 启动 "$W/demo.log"; do sleep 0.2; done
kill $PID; wait $PID 2>/dev/null || true
"$B" synth maps --chain machinery --park gxq --nodes 300 --enterprises 2000 -o "$W/maps.toml"
"$B" --database-url "$DB" import maps --city miluo "$W/maps.toml"

for format in docx pdf; do
  for i in 1 2 3 4 5; do
    /usr/bin/time -f "$format run $i: %e s, %M KB" "$B" --database-url "$DB" report --city miluo \
      --kind analysis --chain machinery --period "$YEAR" --format $format -o "$W/analysis.$format" > /dev/null
  done
  ls -l "$W/analysis.$format"
done
pdfinfo "$W/analysis.pdf" | grep Pages
