#!/usr/bin/env bash
# Installs whatever is missing to build, run and test Bulk Uploader on a Debian machine
# that has rustup, node and apt. Idempotent: a second run takes a second.
#   scripts/setup.sh            tools to build and run the app
#   scripts/setup.sh --browser  also Debian's Chromium and nginx, for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14   # 0.22.x requires rustc 1.96.1; this machine kind has 1.95
# wasm-bindgen-cli must be exactly the wasm-bindgen version in Cargo.lock.
WBG_VERSION=$(awk '$0=="name = \"wasm-bindgen\""{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: need root (or sudo) to run: $*" >&2; exit 1; fi
}

command -v cargo >/dev/null || { echo "setup: cargo not found; install Rust with rustup first (https://rustup.rs)" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: npm not found; install Node.js 20 or newer first" >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "${1:-}" = "--browser" ] && ! { command -v chromium >/dev/null && command -v chromedriver >/dev/null; }; then
  say "installing Debian's chromium (for the browser tests; about a minute)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# nginx, for the hosting test (tests/e2e/hosting.test.mjs runs docs/nginx.conf): the one on
# PATH, else Debian's package unpacked (not installed: no service, no root needed once the
# package lists are there) into a cache folder, where tests/e2e/nginx.mjs looks for it.
NGINX_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/bulk-uploader/nginx"
if [ "${1:-}" = "--browser" ] && ! command -v nginx >/dev/null && [ ! -x "$NGINX_CACHE/usr/sbin/nginx" ]; then
  say "fetching Debian's nginx package into $NGINX_CACHE (unpacked, not installed)"
  tmp=$(mktemp -d)
  if ! (cd "$tmp" && apt-get download -q -o APT::Sandbox::User="$(id -un)" nginx); then
    # No package lists yet: they need root.
    as_root apt-get update -qq
    (cd "$tmp" && apt-get download -q -o APT::Sandbox::User="$(id -un)" nginx)
  fi
  dpkg-deb -x "$tmp"/nginx_*.deb "$tmp/root"
  mkdir -p "$(dirname "$NGINX_CACHE")" && rm -rf "$NGINX_CACHE" && mv "$tmp/root" "$NGINX_CACHE"
  rm -rf "$tmp"
fi

if ! trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (compiles from source; about 7 minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WBG_VERSION"; then
  say "installing wasm-bindgen-cli $WBG_VERSION (about 3 minutes, once)"
  # --locked fails while the registry lacks a version the CLI's own lockfile names;
  # then resolve afresh.
  cargo install wasm-bindgen-cli --version "$WBG_VERSION" --locked \
    || cargo install wasm-bindgen-cli --version "$WBG_VERSION" --force
fi

# wasm-opt (npm binaryen 132; Debian's 108 breaks the wasm) and playwright-core.
if [ ! -x tests/e2e/node_modules/.bin/wasm-opt ] || [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -f tests/e2e/node_modules/axe-core/axe.min.js ]; then
  say "installing the npm tools (binaryen, playwright-core, axe-core)"
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
say "ready: $(trunk --version), $(wasm-bindgen --version), wasm-opt $(tests/e2e/node_modules/.bin/wasm-opt --version | awk '{print $3}')"
if [ "${1:-}" = "--browser" ]; then
  nginx_bin=$(command -v nginx || echo "$NGINX_CACHE/usr/sbin/nginx")
  say "nginx for the hosting test: $nginx_bin ($("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //'))"
fi
