#!/bin/sh
# The search box over the demo city with 2,000 more enterprises on SQLite (see docs/BENCHMARKS.md).
# Usage: bench/search.sh [WORKDIR]; needs a release build and wrk.
set -eu
B=$(pwd)/target/release/chainchief
W=${1:-/tmp/bench-search}
PORT=18183
export CHAINCHIEF_DEMO_PASSWORD='Bench-Pass-2026'
rm -rf "$W" && mkdir -p "$W"
DB="sqlite://$W/demo/chainchief.db"

"$B" demo --data-dir "$W/demo" --port $PORT > "$W/demo.log" 2>&1 & PID=$!
until grep -q 启动 "$W/demo.log"; do sleep 0.2; done
kill $PID; wait $PID 2>/dev/null || true
"$B" synth enterprises --rows 2000 --chain 有色金属新材料产业链 -o "$W/e.csv"
"$B" --database-url "$DB" import enterprises --city miluo "$W/e.csv" > /dev/null

"$B" --database-url "$DB" serve --port $PORT > "$W/serve.log" 2>&1 & PID=$!
trap 'kill $PID' EXIT
until curl -s "http://127.0.0.1:$PORT/healthz" > /dev/null; do sleep 0.2; done
TOKEN=$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/session" -H 'content-type: application/json' \
  -d "{\"username\":\"office\",\"password\":\"$CHAINCHIEF_DEMO_PASSWORD\"}" | sed 's/.*"token":"\([^"]*\)".*/\1/')
# 两字中文（命中上千家）、拼音首字母、无结果
for q in '%E5%90%88%E6%88%90' 'jxsf' '%E4%B8%8D%E5%AD%98%E5%9C%A8'; do
  echo "q=$q"
  wrk -t1 -c1 -d10s --latency -s bench/p95.lua -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/search?q=$q" | tail -1
done
