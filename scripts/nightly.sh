#!/usr/bin/env bash
# The long proofs of docs/RELIABILITY.md, on SQLite and PostgreSQL (CHAINCHIEF_TEST_POSTGRES_URL,
# default the local server): 500 kill -9 under write load, 50 writers for 60 s, the login flood and
# lockout race harnesses, the restore drill, the hostile-file readers and 10 minutes of fuzzing for
# each upload reader (scripts/fuzz.sh). Prints each proof's
# figures; exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHAINCHIEF_TEST_POSTGRES_URL="${CHAINCHIEF_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
export CHAINCHIEF_KILL_CYCLES="${CHAINCHIEF_KILL_CYCLES:-500}"
export CHAINCHIEF_CONTENTION_SECONDS="${CHAINCHIEF_CONTENTION_SECONDS:-60}"

echo "== kill -9 under write load (${CHAINCHIEF_KILL_CYCLES} per database) and contention (50 writers × ${CHAINCHIEF_CONTENTION_SECONDS} s)"
cargo test -p chainchief --test it -- --nocapture durability:: contention:: 2>&1 | grep -E "kill -9|writers ×|test result"

echo "== lockout race, login gate, account rules"
cargo test -p chainchief --test it -- login_gate:: account_rules:: auth:: 2>&1 | grep -E "test result"

echo "== restore drill: backups signed, restored on both databases with content hashes, tampering refused"
cargo test -p chainchief --test it -- backup:: audit:: 2>&1 | grep -E "test result"

echo "== hostile sheets, plan files and plan texts"
cargo test -p chainchief-sheets --test hostile 2>&1 | grep -E "test result"
cargo test -p chainchief-domain 2>&1 | grep -E "test result" | head -1

echo "== scope: the role × route × relationship matrix"
cargo test -p chainchief --test it -- route_matrix:: policy:: scope:: import_review:: 2>&1 | grep -E "test result"

echo "== fuzzing the upload readers (${CHAINCHIEF_FUZZ_SECONDS:-600} s each)"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz
scripts/fuzz.sh "${CHAINCHIEF_FUZZ_SECONDS:-600}"

echo "== login flood (release build, wrk)"
cargo build --release -p chainchief
bench/login_flood.sh /tmp/bench-login
