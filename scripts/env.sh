# Sourced by run.sh and test.sh: the tools setup.sh installed come first on PATH.
export PATH="$PWD/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Trunk's crates.io update check is noise offline.
export TRUNK_SKIP_VERSION_CHECK=true
