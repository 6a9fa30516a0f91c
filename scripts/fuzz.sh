#!/usr/bin/env bash
# Fuzzes the readers of what users upload — xlsx and csv sheets, plan files, plan texts — for
# SECONDS each (default 600), starting from the repository's own plans and generated sheets.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); runs on the stable toolchain without a sanitizer
# (`-s none`: Rust's own checks, panics and the memory limit are what fails). A crash leaves its
# input in fuzz/artifacts/TARGET/ and stops the script.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
corpus=fuzz/corpus
mkdir -p "$corpus"/{sheet_xlsx,sheet_csv,plan_file,plan_text}
cargo run -q -p chainchief-sheets --example fuzz_seeds -- "$corpus/sheet_xlsx"
cp "$corpus"/sheet_xlsx/*.csv "$corpus/sheet_csv/"
cp plans/*.toml crates/cli/tests/fixtures/*.toml "$corpus/plan_file/"
cp plans/miluo-2022-plan.txt "$corpus/plan_text/"
for target in sheet_xlsx sheet_csv plan_file plan_text; do
  echo "== $target (${seconds} s)"
  (cd fuzz && cargo fuzz run -s none "$target" "../$corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=4194304 -print_final_stats=1 2>&1) |
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|stat::new_units_added)|SUMMARY|panicked|ERROR" || true
  if ls fuzz/artifacts/"$target"/crash-* fuzz/artifacts/"$target"/oom-* >/dev/null 2>&1; then
    echo "$target: a crash or out-of-memory input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
