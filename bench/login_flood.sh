#!/bin/sh
# Logins against the demo city (see docs/BENCHMARKS.md): a burst of 1,000 at once, then a flood of
# 1,000 connections posting logins for 20 s, each while one connection measures /healthz; prints
# the server's memory before, at its peak and after.
# Usage: bench/login_flood.sh [WORKDIR]; needs a release build and wrk.
set -eu
B=$(pwd)/target/release/chainchief
W=${1:-/tmp/bench-login}
PORT=18184
export CHAINCHIEF_DEMO_PASSWORD='Bench-Pass-2026'
rm -rf "$W" && mkdir -p "$W"
ulimit -n 65536 2>/dev/null || true

"$B" demo --data-dir "$W/demo" --port $PORT > "$W/demo.log" 2>&1 & PID=$!
trap 'kill $PID' EXIT
until grep -q 启动 "$W/demo.log"; do sleep 0.2; done
echo "before: $(grep VmRSS /proc/$PID/status)"
wrk -t1 -c1 -d6s --latency -s bench/p95.lua "http://127.0.0.1:$PORT/healthz" > "$W/burst-healthz.txt" &
HEALTH=$!
python3 bench/login_burst.py $PORT 1000
wait $HEALTH
echo "healthz during the burst: $(tail -1 "$W/burst-healthz.txt")"
echo "after the burst: $(grep VmHWM /proc/$PID/status)"
wrk -t2 -c1000 -d20s --timeout 30s -s bench/login.lua "http://127.0.0.1:$PORT/api/v1/session" > "$W/flood.txt" 2>&1 &
FLOOD=$!
sleep 2
echo "healthz during the flood:"
wrk -t1 -c1 -d15s --latency -s bench/p95.lua "http://127.0.0.1:$PORT/healthz" | tail -1
wait $FLOOD
grep -E "Requests/sec|Non-2xx|login requests" "$W/flood.txt"
echo "peak: $(grep VmHWM /proc/$PID/status)"
echo "after: $(grep VmRSS /proc/$PID/status)"
