#!/bin/sh
# The cockpit with 2,000 enterprises × 6 indicators × 60 months on SQLite (see docs/BENCHMARKS.md).
# Usage: bench/cockpit.sh [WORKDIR]; needs a release build and wrk.
set -eu
B=$(pwd)/target/release/chainchief
W=${1:-/tmp/bench-cockpit}
PORT=18181
export CHAINCHIEF_DEMO_PASSWORD='Bench-Pass-2026'
rm -rf "$W" && mkdir -p "$W"
DB="sqlite://$W/demo/chainchief.db"
END=$(date -d "$(date +%Y-%m-01) -1 month" +%Y-%m)

# The demo city, then 2,000 enterprises on the non-ferrous chain and their monthly figures.
"$B" demo --data-dir "$W/demo" --port $PORT > "$W/demo.log" 2>&1 & PID=$!
until grep -q 启动 "$W/demo.log"; do sleep 0.2; done
kill $PID; wait $PID 2>/dev/null || true
"$B" synth enterprises --rows 2000 --chain 有色金属新材料产业链 -o "$W/e.csv"
"$B" --database-url "$DB" import enterprises --city miluo "$W/e.csv"
"$B" synth values --enterprises "$W/e.csv" --end "$END" --months 60 -o "$W/values" \
  --indicators ent-output-value:万元,ent-revenue:万元,ent-recycled-steel:吨,ent-copper-products:吨,ent-recycled-aluminium:吨,ent-aluminium-products:吨
for f in "$W"/values/*.csv; do /usr/bin/time -f "%e s, %M KB: $(basename "$f")" "$B" --database-url "$DB" import values --city miluo "$f"; done

"$B" --database-url "$DB" serve --port $PORT > "$W/serve.log" 2>&1 & PID=$!
trap 'kill $PID' EXIT
until curl -s "http://127.0.0.1:$PORT/healthz" > /dev/null; do sleep 0.2; done
TOKEN=$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/session" -H 'content-type: application/json' \
  -d "{\"username\":\"leader\",\"password\":\"$CHAINCHIEF_DEMO_PASSWORD\"}" | sed 's/.*"token":"\([^"]*\)".*/\1/')
CHAIN=$(curl -s "http://127.0.0.1:$PORT/api/v1/chains" -H "Authorization: Bearer $TOKEN" \
  | tr '{' '\n' | grep '有色金属新材料产业链' | sed 's/.*"id":"\([^"]*\)".*/\1/' | head -1)
for path in /cockpit "/chains/$CHAIN/cockpit"; do
  first=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT$path" -H "Authorization: Bearer $TOKEN")
  echo "$path: first request after start ${first}s"
  wrk -t1 -c1 -d10s --latency -s bench/p95.lua -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$path" | tail -1
done
echo "after new figures (only the indicators they feed are recomputed):"
IND=$(curl -s "http://127.0.0.1:$PORT/api/v1/indicators" -H "Authorization: Bearer $TOKEN" \
  | tr '{' '\n' | grep '"code":"supporting-contribution-rate"' | sed 's/.*"id":"\([^"]*\)".*/\1/')
OFFICE=$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/session" -H 'content-type: application/json' \
  -d "{\"username\":\"office\",\"password\":\"$CHAINCHIEF_DEMO_PASSWORD\"}" | sed 's/.*"token":"\([^"]*\)".*/\1/')
curl -s -o /dev/null -X POST "http://127.0.0.1:$PORT/api/v1/indicators/$IND/values" -H "Authorization: Bearer $OFFICE" \
  -H 'content-type: application/json' -d "{\"period\":\"$END\",\"value\":\"26\",\"unit\":\"%\"}"
curl -s -o /dev/null -w "/cockpit after a park figure: %{time_total}s\n" "http://127.0.0.1:$PORT/cockpit" -H "Authorization: Bearer $TOKEN"
ENT=$(curl -s "http://127.0.0.1:$PORT/api/v1/enterprises?q=%E5%90%88%E6%88%90000001" -H "Authorization: Bearer $OFFICE" \
  | sed 's/.*"items":\[{"id":"\([^"]*\)".*/\1/')
AL=$(curl -s "http://127.0.0.1:$PORT/api/v1/indicators" -H "Authorization: Bearer $TOKEN" \
  | tr '{' '\n' | grep '"code":"ent-recycled-aluminium"' | sed 's/.*"id":"\([^"]*\)".*/\1/')
curl -s -o /dev/null -w "enterprise figure: %{http_code}\n" -X POST "http://127.0.0.1:$PORT/api/v1/indicators/$AL/values" \
  -H "Authorization: Bearer $OFFICE" -H 'content-type: application/json' \
  -d "{\"period\":\"$END\",\"value\":\"600\",\"unit\":\"吨\",\"enterprise\":\"$ENT\",\"version\":1}"
curl -s -o /dev/null -w "/cockpit after an enterprise figure: %{time_total}s\n" "http://127.0.0.1:$PORT/cockpit" -H "Authorization: Bearer $TOKEN"
