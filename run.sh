#!/usr/bin/env bash
# Installs what is missing, builds the app, and serves it together with the sandbox (an
# emulated Open Connectors tenant) on one origin. Open the URL it prints.
#   ./run.sh                      port 8787
#   PORT=9000 ./run.sh            another port
#   ./run.sh --row-delay-ms 20    any sandbox option (see: cargo run -p bulk-sandbox -- --help)
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
. scripts/env.sh
echo "run: building the app (the first build takes a few minutes)"
trunk build --release
node scripts/compress.mjs dist   # .br/.gz beside each file; prints the start page's size
cargo build --locked -p bulk-sandbox
exec target/debug/bulk-sandbox --app-dir dist --port "${PORT:-8787}" "$@"
