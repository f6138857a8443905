#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting and lints, the core's unit and
# doc tests, the sandbox over real HTTP, then the built app in headless Chromium against
# freshly started sandboxes.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --browser
. scripts/env.sh
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "format and lints"
cargo fmt --all -- --check
cargo clippy --locked --workspace --all-targets -- -D warnings
# Apart: together, the older encodings' crate would turn bulk-core's `legacy` feature on for the
# app too, and the app would not be linted as Trunk builds it.
cargo clippy --locked --target wasm32-unknown-unknown -p bulk-uploader -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown -p legacy-encodings -- -D warnings
# bulk-core as the app has it: without the older encodings built in (src/legacy.rs).
cargo clippy --locked -p bulk-core --no-default-features -- -D warnings

step "core, app logic and sandbox tests"
cargo test --locked -p bulk-core -p bulk-sandbox
cargo test --locked -p bulk-uploader --lib   # the app's pure logic (grid window, steps, upload settings), natively
# What depends on integer and hash widths runs in wasm32 too (Node, wasm-bindgen-test-runner).
cargo test --locked --target wasm32-unknown-unknown -p bulk-core --lib wasm_width

step "build the app and the sandbox"
trunk build --release
node scripts/compress.mjs dist   # .br/.gz beside each file; prints the start page's size
cargo build --locked -p bulk-sandbox

step "end-to-end tests in headless Chromium"
(cd tests/e2e && node --test --test-concurrency=1)
step "all tests passed"
