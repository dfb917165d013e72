#!/usr/bin/env bash
# Runs every test of onboard on a fresh machine: installs what the tests need
# (Chromium from Debian's packages, the browser-test packages from npm), then
# runs the Rust tests and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing chromium (Debian package)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
fi
if ! command -v node >/dev/null 2>&1; then
  echo "== installing node (Debian package)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nodejs npm >/dev/null
fi

echo "== cargo test"
cargo test --release --all-targets

echo "== browser tests"
tests/browser/run.sh --release
