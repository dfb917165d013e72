#!/usr/bin/env bash
# Browser tests of onboard's output, in headless Chromium.
#
# Installs what they need when it is missing (Debian's chromium, and
# playwright-core and axe-core from npm into tests/browser/node_modules), builds the
# onboard binary and the test sites, then runs every *.spec.mjs here with
# `node --test`. dashboard.spec.mjs also uses the 10,000-tracker site of
# benches/gen_trackers.py, built here. theme.spec.mjs also writes screenshots of every page type,
# light and dark, to artifacts/screenshots/ and a PDF of a printed SOP to
# artifacts/print/.
#
#   tests/browser/run.sh              # debug binary
#   tests/browser/run.sh --release    # release binary
#   tests/browser/run.sh -- FILE...   # only these spec files
#
# Built sites go to tests/browser/artifacts/ (ignored by git). The binary is
# built in $CARGO_TARGET_DIR, or the repository's own target/ when unset.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
profile=debug
specs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --release) profile=release ;;
    --) shift; specs=("$@"); break ;;
    *) echo "usage: $0 [--release] [-- spec.mjs...]" >&2; exit 2 ;;
  esac
  shift
done

chromium_bin="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium_bin" ]; then
  echo "== installing chromium (Debian package)"
  sudo_cmd=""
  if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update
  $sudo_cmd apt-get install -y chromium
fi

cd "$here"
if [ ! -d node_modules/playwright-core ] || [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "== installing playwright-core and axe-core (npm)"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi

echo "== building onboard ($profile)"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
cargo_flags=(--bin onboard --manifest-path "$repo/Cargo.toml")
if [ "$profile" = release ]; then cargo_flags+=(--release); fi
CARGO_TARGET_DIR="$target_dir" cargo build "${cargo_flags[@]}"
# A private copy: a target folder shared with other checkouts may swap the binary.
mkdir -p artifacts/bin
cp "$target_dir/$profile/onboard" artifacts/bin/onboard
onboard="$here/artifacts/bin/onboard"

echo "== building the test sites"
"$onboard" build --root "$repo/tests/sites/search" --out artifacts/search-fixture
# The example site this repository ships, for the ranking checks. Until
# the default theme has its templates, borrow the fixture's.
rm -rf artifacts/example-src
mkdir -p artifacts/example-src
cp -R "$repo/onboard.yaml" "$repo/playbooks" "$repo/content" "$repo/static" artifacts/example-src/
if [ ! -f "$repo/themes/default/templates/base.html" ]; then
  mkdir -p artifacts/example-src/themes/default
  cp -R "$repo/tests/sites/search/themes/default/templates" artifacts/example-src/themes/default/
fi
"$onboard" build --root artifacts/example-src --out artifacts/example
if [ ! -f artifacts/search-fixture/search.js ]; then
  echo "error: the binary did not embed themes/default/static/search.js (stale build script output? touch the file and rerun)" >&2
  exit 1
fi

# The 10,000-tracker benchmark site, for the dashboard at scale.
if [ ! -f artifacts/trackers-10000-src/onboard.yaml ]; then
  rm -rf artifacts/trackers-10000-src
  python3 "$repo/benches/gen_trackers.py" 10000 artifacts/trackers-10000-src
fi
"$onboard" build --root artifacts/trackers-10000-src --out artifacts/trackers-10000 >/dev/null 2>&1

echo "== running the browser tests"
if [ ${#specs[@]} -eq 0 ]; then specs=(*.spec.mjs); fi
CHROMIUM="$chromium_bin" node --test "${specs[@]}"
