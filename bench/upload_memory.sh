#!/bin/sh
# Memory of uploads (see docs/BENCHMARKS.md): the general office uploads an enterprise sheet of
# ROWS rows (bench/big_sheet.py, default 190,000 rows ≈ 15 MB) and, four at once, a 2 MB plan text
# to /plan/extract; prints the file sizes, the answers and the server's RSS before and at its peak.
# Usage: bench/upload_memory.sh [WORKDIR] [ROWS]; needs a release build.
set -eu
B=$(pwd)/target/release/chainchief
W=${1:-/tmp/bench-upload}
ROWS=${2:-190000}
PORT=18185
export CHAINCHIEF_DEMO_PASSWORD='Bench-Pass-2026'
rm -rf "$W" && mkdir -p "$W"

python3 bench/big_sheet.py "$W/big.xlsx" "$ROWS"
python3 - "$W/plan.txt" <<'PY'
import sys
text = open("plans/miluo-2022-plan.txt", encoding="utf-8").read()
out = (text * (2_000_000 // len(text.encode()) + 1)).encode()[:2_000_000]
open(sys.argv[1], "wb").write(out.decode("utf-8", "ignore").encode())
PY
echo "files: $(du -h "$W/big.xlsx" | cut -f1) sheet, $(du -h "$W/plan.txt" | cut -f1) plan text"

"$B" demo --data-dir "$W/demo" --port $PORT > "$W/demo.log" 2>&1 & PID=$!
trap 'kill $PID' EXIT
until grep -q 启动 "$W/demo.log"; do sleep 0.2; done
TOKEN=$(curl -s -X POST -H 'content-type: application/json' \
  -d "{\"username\":\"office\",\"password\":\"$CHAINCHIEF_DEMO_PASSWORD\"}" \
  "http://127.0.0.1:$PORT/api/v1/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
echo "before: $(grep VmRSS /proc/$PID/status)"
/usr/bin/time -f "sheet upload: %e s" curl -s -o "$W/sheet.html" -w "answer %{http_code}\n" \
  -H "Authorization: Bearer $TOKEN" -F "file=@$W/big.xlsx" "http://127.0.0.1:$PORT/enterprises/import"
grep -o '已导入[^<]*\|有 [0-9]* 处错误[^<]*' "$W/sheet.html" | head -1
echo "after the sheet: $(grep VmHWM /proc/$PID/status)"
CURLS=""
for i in 1 2 3 4; do
  curl -s -o /dev/null -w "plan text $i: answer %{http_code}\n" \
    -H "Authorization: Bearer $TOKEN" -F "file=@$W/plan.txt" "http://127.0.0.1:$PORT/plan/extract" &
  CURLS="$CURLS $!"
done
wait $CURLS
echo "peak: $(grep VmHWM /proc/$PID/status)"
echo "after: $(grep VmRSS /proc/$PID/status)"
