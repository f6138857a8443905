#!/usr/bin/env bash
# The speed benchmark (not part of ./test.sh): generates 10 MB and 100 MB contacts files
# deterministically (300 MB too with --sizes) and prints, for the same work on the same
# file, bulk-core natively, bulk-core compiled to wasm, uDSV with the same checks, uDSV
# parsing alone, Papa Parse with the same checks, the built app in headless Chromium (from a
# File to "rows checked") and Blob.arrayBuffer in Chromium (the floor), with the ratios;
# then Lighthouse's mobile performance audit of the start page.
#   ./bench.sh                       10 MB and 100 MB, median of 3 runs
#   ./bench.sh --sizes 10,100,300 --runs 5
# Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --browser
. scripts/env.sh
[ -d bench/node_modules/papaparse ] && [ -d bench/node_modules/udsv ] && [ -d bench/node_modules/lighthouse ] ||
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
target="${CARGO_TARGET_DIR:-target}"
cargo build --locked --release -p bulk-bench
# The browser rows drive the app as it is built for hosting, against a fresh sandbox.
trunk build --release
node scripts/compress.mjs dist >/dev/null
cargo build --locked -p bulk-sandbox
cargo build --locked --release --target wasm32-unknown-unknown -p bulk-bench-wasm
wasm-bindgen --target nodejs --out-dir target/bench/wasm "$target/wasm32-unknown-unknown/release/bulk_bench_wasm.wasm"
"$target/release/bulk-bench" "$@"
echo
# The start page on a simulated phone: issue 10 asks for a performance score of 90 or more.
node bench/lighthouse.mjs 3
