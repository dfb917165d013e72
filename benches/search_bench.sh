#!/usr/bin/env bash
# Search benchmark on a generated site (20,000 pages by default, or 10,000
# customer trackers, whose customers are indexed). Prints: index build
# time, total index size, bytes loaded by a first query, and query latency
# in headless Chromium.
#
#   benches/search_bench.sh [PAGES]
#   benches/search_bench.sh --trackers [TRACKERS]
#
# The pages come from benches/gen_pages.py, the trackers from
# benches/gen_trackers.py. Everything is written under bench-out/ (ignored
# by git). Needs python3, node, and chromium plus
# playwright-core (tests/browser/run.sh installs both).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$repo/bench-out"
if [ "${1:-}" = "--trackers" ]; then
  count="${2:-10000}"
  site="$out/trackers-$count"
  what=trackers
  generate=(python3 "$repo/benches/gen_trackers.py" "$count" "$site")
else
  count="${1:-20000}"
  site="$out/site-$count"
  what=pages
  generate=(python3 "$repo/benches/gen_pages.py" "$count" "$site" --flavor onboard)
fi
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
cd "$repo"

if [ ! -d "$site/content" ]; then
  echo "== generating $count $what"
  mkdir -p "$out"
  "${generate[@]}"
fi
if [ ! -f "$repo/themes/default/templates/base.html" ]; then
  # Until the default theme has its templates, use the search fixture's
  # (they carry the search box and the search page).
  mkdir -p "$site/themes/default"
  rm -rf "$site/themes/default/templates"
  cp -R "$repo/tests/sites/search/themes/default/templates" "$site/themes/default/"
fi

echo "== building onboard (release)"
CARGO_TARGET_DIR="$target_dir" cargo build --release --bin onboard
cp "$target_dir/release/onboard" "$out/onboard"

echo "== onboard build (whole site, for context)"
"$out/onboard" build --root "$site" --out "$site/public"

echo "== index build time"
ONBOARD_BENCH_SITE="$site" CARGO_TARGET_DIR="$target_dir" \
  cargo test --release --bench search_bench -- --nocapture --test-threads 1 2>/dev/null | grep '^search_bench:'

echo "== index on disk"
files=$(find "$site/public/search" -name '*.js' | wc -l)
bytes=$(find "$site/public/search" -name '*.js' -printf '%s\n' | awk '{s += $1} END {print s}')
echo "total index size: $bytes bytes ($((bytes / 1024 / 1024)) MB) in $files files under search/"

echo "== first query and latency in Chromium"
if [ ! -d "$repo/tests/browser/node_modules/playwright-core" ]; then
  (cd "$repo/tests/browser" && npm ci --no-audit --no-fund)
fi
node "$repo/benches/search_bench.mjs" "$site/public" http
node "$repo/benches/search_bench.mjs" "$site/public" file
