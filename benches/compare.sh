#!/usr/bin/env bash
# Builds generated sites with onboard, Hugo and "the floor" side by side and
# prints wall time, CPU time (user+sys) and peak memory, medians of several
# interleaved runs, with the ratios Hugo/onboard and onboard/floor.
#
# Usage: benches/compare.sh [--bench-theme | --no-bench-theme] [SIZE...]
#   SIZE...            page counts to build (default: 1000 10000); a third
#                      size such as 50000 shows how time per page grows
#   --bench-theme      build onboard against the minimal templates in
#                      benches/bench-theme/ (copied into each generated site);
#                      the default is to do so only while the repository has
#                      no themes/default/templates/page.html
#   --no-bench-theme   never copy them
#
# The page sites come from benches/gen_pages.py (the same pages for onboard
# and Hugo), the tracker site from benches/gen_trackers.py.
#
# Environment:
#   BENCH_DIR    scratch folder for sites and outputs (default: target/bench-sites;
#                put it on tmpfs to leave the disk out of the numbers)
#   RUNS         runs per tool and size (default: 5)
#   TRACKERS     customer trackers for the tracker scenario (default: 10000; 0 skips it)
#   HUGO         the Hugo command (default: hugo)
#
# Needs python3, GNU time (Debian: `apt-get install -y time`) and cargo; Hugo
# is optional (Debian: `apt-get install -y hugo`): without it the Hugo rows are
# skipped. Every tool writes into a fresh output folder on every run; each
# round's outputs are deleted once it is measured.

set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
gen_pages=$repo/benches/gen_pages.py
bench_dir=${BENCH_DIR:-$repo/target/bench-sites}
runs=${RUNS:-5}
trackers=${TRACKERS:-10000}
hugo=${HUGO:-hugo}
bench_theme=auto
sizes=()
for arg in "$@"; do
    case $arg in
        --bench-theme) bench_theme=on ;;
        --no-bench-theme) bench_theme=off ;;
        -h | --help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *[!0-9]* | '') echo "compare.sh: not a page count: $arg" >&2; exit 2 ;;
        *) sizes+=("$arg") ;;
    esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

die() { echo "compare.sh: $*" >&2; exit 2; }
command -v python3 >/dev/null || die "python3 is needed to generate the sites"
[ -x /usr/bin/time ] || die "GNU time is needed at /usr/bin/time: install Debian's package with 'apt-get install -y time'"
if command -v "$hugo" >/dev/null; then
    have_hugo=1
    hugo_version=$("$hugo" version | awk '{print $2}')
else
    have_hugo=0
    echo "Hugo not found: skipping the Hugo rows (install it with 'apt-get install -y hugo', Debian's package)." >&2
fi
if [ $bench_theme = auto ]; then
    if [ -f "$repo/themes/default/templates/page.html" ]; then bench_theme=off; else bench_theme=on; fi
fi

# Build once, then copy the binaries: the target folder may be shared with
# other checkouts, which would replace them half-way through the runs.
echo "building onboard and the floor (release)..." >&2
(cd "$repo" && cargo build --release --quiet --bin onboard)
target_dir=$(cd "$repo" && cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
# The floor is a bench target (benches/floor.rs), whose file name carries a
# hash: cargo's JSON messages name it.
floor_bin=$(cd "$repo" && cargo build --release --quiet --bench floor --message-format json |
    python3 -c 'import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message["target"]["name"] == "floor" and message.get("executable"):
        print(message["executable"])')
[ -n "$floor_bin" ] || die "cargo did not name the floor binary"
mkdir -p "$bench_dir/bin"
cp "$target_dir/release/onboard" "$bench_dir/bin/"
cp "$floor_bin" "$bench_dir/bin/floor"
onboard=$bench_dir/bin/onboard
floor=$bench_dir/bin/floor
out_root=$bench_dir/out
rm -rf "$out_root"
mkdir -p "$out_root"
trap 'rm -rf "$out_root"' EXIT

# generate NAME COMMAND...: runs the generator once per site; the command
# line is kept in the site so a changed generator or size regenerates it.
generate() {
    local dir=$1
    shift
    local stamp="$*"
    if [ -f "$dir/.generated" ] && [ "$(cat "$dir/.generated")" = "$stamp" ]; then
        return
    fi
    rm -rf "$dir"
    "$@" >/dev/null
    echo "$stamp" >"$dir/.generated"
}

# The site onboard builds: the generated one, plus the bench templates when asked.
with_theme() {
    local dir=$1
    rm -rf "$dir/themes"
    if [ $bench_theme = on ]; then
        mkdir -p "$dir/themes/default"
        cp -r "$repo/benches/bench-theme/." "$dir/themes/default/"
    fi
}

# measure FILE COMMAND...: appends "wall user sys maxrss_kb" to FILE.
measure() {
    local file=$1
    shift
    local log=$out_root/last.log
    if ! /usr/bin/time -f "%e %U %S %M" -o "$out_root/time" "$@" >"$log" 2>&1; then
        echo "compare.sh: this run failed: $*" >&2
        tail -n 20 "$log" >&2
        if [ $bench_theme = off ]; then
            echo "(if the theme is incomplete, try again with --bench-theme)" >&2
        fi
        exit 1
    fi
    tail -n 1 "$out_root/time" >>"$file"
}

# forget DIR...: removes the outputs of a round once it is measured, so that
# later runs do not write beside hundreds of thousands of earlier files
# (the kernel's file caches grow with them, and the later runs slow down).
forget() {
    rm -rf "$@"
}

# median COLUMN FILE
median() {
    awk -v c="$1" '{print $c}' "$2" | sort -g |
        awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'
}
cpu_median() {
    awk '{print $2+$3}' "$1" | sort -g |
        awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'
}

echo "generating sites under $bench_dir..." >&2
for n in "${sizes[@]}"; do
    generate "$bench_dir/pages-$n" python3 "$gen_pages" "$n" "$bench_dir/pages-$n" --flavor onboard
    with_theme "$bench_dir/pages-$n"
    if [ $have_hugo = 1 ]; then
        generate "$bench_dir/hugo-$n" python3 "$gen_pages" "$n" "$bench_dir/hugo-$n" --flavor hugo
    fi
done
if [ "$trackers" -gt 0 ]; then
    generate "$bench_dir/trackers-$trackers" python3 "$repo/benches/gen_trackers.py" "$trackers" "$bench_dir/trackers-$trackers"
    with_theme "$bench_dir/trackers-$trackers"
fi

results=$out_root/results
mkdir -p "$results"
for n in "${sizes[@]}"; do
    echo "building $n pages, $runs runs per tool..." >&2
    for run in $(seq 1 "$runs"); do
        measure "$results/onboard-$n" "$onboard" build --root "$bench_dir/pages-$n" --out "$out_root/onboard-$n-$run"
        if [ $have_hugo = 1 ]; then
            measure "$results/hugo-$n" "$hugo" --quiet -s "$bench_dir/hugo-$n" -d "$out_root/hugo-$n-$run"
        fi
        measure "$results/floor-$n" "$floor" "$bench_dir/pages-$n/content/pages" "$out_root/floor-$n-$run"
        forget "$out_root/onboard-$n-$run" "$out_root/hugo-$n-$run" "$out_root/floor-$n-$run"
    done
done
if [ "$trackers" -gt 0 ]; then
    echo "building $trackers trackers, $runs runs..." >&2
    for run in $(seq 1 "$runs"); do
        measure "$results/trackers" "$onboard" build --root "$bench_dir/trackers-$trackers" --out "$out_root/trackers-$run"
        forget "$out_root/trackers-$run"
    done
fi

echo
echo "onboard $("$onboard" --version | awk '{print $2}')$([ $bench_theme = on ] && echo ' (bench templates)'), floor = read + pulldown-cmark + write on all cores$([ $have_hugo = 1 ] && echo ", Hugo $hugo_version")"
echo "$(nproc) cores, medians of $runs runs, outputs under $bench_dir"
echo
printf '%-8s %8s %10s %10s %10s %10s  %s\n' tool pages wall_s cpu_s peak_MB us/page ratio
first_per_page=
for n in "${sizes[@]}"; do
    ob_wall=$(median 1 "$results/onboard-$n")
    for tool in onboard hugo floor; do
        file=$results/$tool-$n
        [ -f "$file" ] || continue
        wall=$(median 1 "$file")
        cpu=$(cpu_median "$file")
        rss=$(median 4 "$file")
        per_page=$(awk -v w="$wall" -v n="$n" 'BEGIN {printf "%.0f", w * 1e6 / n}')
        case $tool in
            onboard)
                [ -n "$first_per_page" ] || first_per_page=$per_page
                ratio=$(awk -v p="$per_page" -v f="$first_per_page" 'BEGIN {if (f > 0) printf "per page x%.2f of the smallest size", p / f; else print ""}') ;;
            hugo) ratio=$(awk -v h="$wall" -v o="$ob_wall" 'BEGIN {if (o > 0) printf "hugo/onboard %.2f", h / o; else print "hugo/onboard n/a"}') ;;
            floor) ratio=$(awk -v f="$wall" -v o="$ob_wall" 'BEGIN {if (f > 0) printf "onboard/floor %.2f", o / f; else print "onboard/floor n/a"}') ;;
        esac
        printf '%-8s %8s %10.2f %10.2f %10.0f %10s  %s\n' "$tool" "$n" "$wall" "$cpu" \
            "$(awk -v k="$rss" 'BEGIN {print k / 1024}')" "$per_page" "$ratio"
    done
done
if [ "$trackers" -gt 0 ]; then
    file=$results/trackers
    printf '%-8s %8s %10.2f %10.2f %10.0f %10s  %s\n' onboard "${trackers}t" "$(median 1 "$file")" \
        "$(cpu_median "$file")" "$(awk -v k="$(median 4 "$file")" 'BEGIN {print k / 1024}')" \
        "$(awk -v w="$(median 1 "$file")" -v n="$trackers" 'BEGIN {printf "%.0f", w * 1e6 / n}')" \
        "$trackers trackers + 10 SOPs + 2 playbooks, full build"
fi
