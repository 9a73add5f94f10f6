#!/usr/bin/env bash
# Parser throughput benchmark: mapvet vs go/parser vs tree-sitter-go, plus `mapvet check` wall
# time. See docs/PERFORMANCE.md for the methodology.
#
#   bash bench/run.sh [--record] [-n N] [--check-runs N] [--skip-build] [PATH]
#
#   PATH           Go files to parse (recursive *.go); default: $(go env GOROOT)/src
#   -n N           timed passes per parser, best one kept (default 3)
#   --check-runs N timed runs of `mapvet check`, best one kept (default 3)
#   --record       also append (or replace, for today's date) a results section in
#                  docs/PERFORMANCE.md
#   --skip-build   use the binaries already built
#
# Every parser runs on one thread, over the same files (same collection rule, same byte-wise
# order), in the same invocation of this script, one after the other. Each measurement is one
# `measure_*` function that calls `add_result`; the table, the ratios and the recorded section are
# built from those results, so a new tool (staticcheck, go vet, ...) is one more function plus one
# line in MEASUREMENTS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PASSES=3
CHECK_RUNS=3
CHECK_THREADS=2
RECORD=0
SKIP_BUILD=0
TARGET_PATH=""

# Requirements from the issue: mapvet's parser must be at least this many times faster (single
# core) than each reference parser.
MIN_RATIO_GOPARSE=4
MIN_RATIO_TREESITTER=15

# Measurements, in the order they run and are printed.
MEASUREMENTS=(goparse treesitter mapvet_parse mapvet_check_norules mapvet_typecheck mapvet_check mapvet_check_warm staticcheck_cold staticcheck_warm govet_warm escape_nethttp)
# BENCH_ONLY="a b" runs only those measurements (names as above, e.g. BENCH_ONLY=escape_nethttp).
if [[ -n "${BENCH_ONLY:-}" ]]; then read -r -a MEASUREMENTS <<<"${BENCH_ONLY//,/ }"; fi

# staticcheck version used as the SA5000 anchor (installed into target/bench/bin).
STATICCHECK_VERSION="${STATICCHECK_VERSION:-v0.8.2}"
STATICCHECK_BIN="${STATICCHECK_BIN:-$ROOT/target/bench/bin/staticcheck}"
# Set SKIP_ANCHORS=1 to skip the slow whole-tool anchors (staticcheck, go vet).
SKIP_ANCHORS="${SKIP_ANCHORS:-0}"

MAPVET_BIN="${MAPVET_BIN:-$ROOT/target/release/mapvet}"
PARSEBENCH_BIN="${PARSEBENCH_BIN:-$ROOT/bench/treesitter/target/release/parsebench}"
GOPARSE_BIN="${GOPARSE_BIN:-$ROOT/target/bench/goparse}"

usage() {
    sed -n '5,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 2
}

log() { printf '==> %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------
# Results store: one row per measurement.
#   kind     parse (single-thread parser throughput) or tool (whole-program wall time)
#   threads  threads used
#   files, bytes, seconds (best), mbps (MB/s, MB = 10^6 bytes)
#   rss      peak resident memory in MB of one run ("-" when not measured)
declare -a R_NAME=() R_LABEL=() R_KIND=() R_THREADS=() R_FILES=() R_BYTES=() R_SECONDS=() R_MBPS=() R_RSS=()

add_result() { # name label kind threads files bytes seconds mbps [rss]
    R_NAME+=("$1"); R_LABEL+=("$2"); R_KIND+=("$3"); R_THREADS+=("$4")
    R_FILES+=("$5"); R_BYTES+=("$6"); R_SECONDS+=("$7"); R_MBPS+=("$8"); R_RSS+=("${9:--}")
}

# Peak resident memory (MB) of one run of `$@` (exit code ignored), with GNU time; "-"
# without it.
peak_rss_mb() {
    if [[ ! -x /usr/bin/time ]]; then echo "-"; return; fi
    local tmp out
    tmp="$(mktemp)"
    /usr/bin/time -o "$tmp" -f 'peak_kb %M' "$@" >/dev/null 2>&1 || true
    out="$(awk '$1 == "peak_kb" { print $2 }' "$tmp" | tail -n 1)"
    rm -f "$tmp"
    if [[ -z "$out" ]]; then echo "-"; return; fi
    awk -v k="$out" 'BEGIN { printf "%.0f", k / 1024 }'
}

result_index() { # name -> index, or nothing
    local i
    for i in "${!R_NAME[@]}"; do
        if [[ "${R_NAME[$i]}" == "$1" ]]; then echo "$i"; return; fi
    done
}

# field VALUE from a "key value key value ..." line
field() { # line key
    awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }' <<<"$1"
}

# ---------------------------------------------------------------------------------------------
# Builds

build_mapvet() {
    log "building mapvet (release)"
    cargo build --release --quiet -p mapvet
}

build_parsebench() {
    log "building bench/treesitter parsebench (release)"
    cargo build --release --quiet --manifest-path bench/treesitter/Cargo.toml
}

build_goparse() {
    log "building tools/goparse"
    mkdir -p "$(dirname "$GOPARSE_BIN")"
    (cd tools/goparse && GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -o "$GOPARSE_BIN" .)
}

# One cargo build at a time: the machine has few cores.
build_all() {
    build_mapvet
    build_parsebench
    build_goparse
}

# ---------------------------------------------------------------------------------------------
# Measurements: one function per row of the table.

measure_goparse() {
    log "go/parser: goparse bench -n $PASSES (GOMAXPROCS=1)"
    local out
    out="$(GOMAXPROCS=1 "$GOPARSE_BIN" bench -n "$PASSES" "$TARGET_PATH")"
    echo "    $out" >&2
    add_result goparse "go/parser ($(go env GOVERSION))" parse 1 \
        "$(field "$out" files)" "$(field "$out" bytes)" \
        "$(field "$out" best_seconds)" "$(field "$out" mb_per_s)"
}

parsebench_result() { # name label parser
    log "$2: parsebench --parser $3 -n $PASSES"
    local out
    out="$("$PARSEBENCH_BIN" --parser "$3" -n "$PASSES" "$TARGET_PATH")"
    echo "    $out" >&2
    add_result "$1" "$2" parse 1 \
        "$(field "$out" files)" "$(field "$out" bytes)" \
        "$(field "$out" best_seconds)" "$(field "$out" mb_per_s)"
}

measure_treesitter() {
    parsebench_result treesitter "tree-sitter-go $(locked_version tree-sitter-go) (tree-sitter $(locked_version tree-sitter))" treesitter
}

measure_mapvet_parse() {
    parsebench_result mapvet_parse "mapvet parser" mapvet
}

# Best wall time of `$@` over CHECK_RUNS runs (after one warm-up run), exit codes ignored.
# Uses hyperfine when installed.
best_wall_seconds() {
    if command -v hyperfine >/dev/null 2>&1; then
        local json
        json="$(mktemp)"
        hyperfine --style none --ignore-failure --warmup 1 --runs "$CHECK_RUNS" \
            --export-json "$json" -- "$(printf '%q ' "$@")" >&2
        # Only one command: the first "min" is ours.
        sed -n 's/^ *"min": *\([0-9.eE+-]*\),\{0,1\}$/\1/p' "$json" | head -n 1
        rm -f "$json"
    else
        "$@" >/dev/null 2>&1 || true # warm-up (page cache)
        local best="" i t0 t1
        for ((i = 0; i < CHECK_RUNS; i++)); do
            t0="$(date +%s.%N)"
            "$@" >/dev/null 2>&1 || true
            t1="$(date +%s.%N)"
            best="$(awk -v a="$t0" -v b="$t1" -v best="$best" \
                'BEGIN { d = b - a; if (best == "" || d < best) best = d; printf "%.6f", best }')"
        done
        echo "$best"
    fi
}

# `mapvet check` walks directories like the go tool (no testdata, vendor, _* or .* entries), so
# its file set is smaller than the parsers'. Its own `--stats` gives the files and bytes it read.
# Without the result cache (`--no-cache`): everything is parsed, type-checked and analysed.
measure_mapvet_check() {
    log "mapvet check --no-cache --threads $CHECK_THREADS (best of $CHECK_RUNS, exit code ignored)"
    local stats files bytes secs mbps rss
    stats="$("$MAPVET_BIN" check --no-cache --stats --threads "$CHECK_THREADS" "$TARGET_PATH" 2>&1 >/dev/null || true)"
    files="$(awk '$1 == "files" { print $2; exit }' <<<"$stats")"
    bytes="$(awk '$1 == "bytes" { print $2; exit }' <<<"$stats")"
    if [[ -z "$files" || -z "$bytes" ]]; then
        log "mapvet check --stats printed no file/byte counts; MB/s left out"
        files="?"
        bytes=0
    fi
    secs="$(best_wall_seconds "$MAPVET_BIN" check --no-cache --threads "$CHECK_THREADS" "$TARGET_PATH")"
    mbps="$(awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.1f", b / 1e6 / s }')"
    rss="$(peak_rss_mb "$MAPVET_BIN" check --no-cache --threads "$CHECK_THREADS" "$TARGET_PATH")"
    echo "    files $files bytes $bytes best_seconds $secs mb_per_s $mbps peak_rss_mb $rss" >&2
    add_result mapvet_check "mapvet check (wall, end to end, go tool's file set)" tool \
        "$CHECK_THREADS" "$files" "$bytes" "$secs" "$mbps" "$rss"
}

# `mapvet check` with its result cache warm (a fresh cache directory, filled by the warm-up
# run): walk, load (unchanged files known from the file memo: no text is read), replay.
# Compared with staticcheck's and go vet's warm runs, which replay their caches too.
measure_mapvet_check_warm() {
    log "mapvet check --threads $CHECK_THREADS, result cache warm (best of $CHECK_RUNS)"
    local cache secs rss
    cache="$(mktemp -d)"
    secs="$(best_wall_seconds env MAPVET_CACHE_DIR="$cache" "$MAPVET_BIN" check --threads "$CHECK_THREADS" "$TARGET_PATH")"
    rss="$(peak_rss_mb env MAPVET_CACHE_DIR="$cache" "$MAPVET_BIN" check --threads "$CHECK_THREADS" "$TARGET_PATH")"
    rm -rf "$cache"
    echo "    best_seconds $secs peak_rss_mb $rss" >&2
    add_result mapvet_check_warm "mapvet check, result cache warm (load + replay)" tool \
        "$CHECK_THREADS" "?" 0 "$secs" 0 "$rss"
}

# `mapvet debug map-idents`: walk, load, parse and type-check every package (tests
# included), no rules; prints the map identifiers (the go/types parity surface). The
# difference with measure_mapvet_check_norules is what loading and type-checking add.
measure_mapvet_typecheck() {
    log "mapvet debug map-idents --threads $CHECK_THREADS (load + parse + type-check, best of $CHECK_RUNS)"
    local secs rss
    secs="$(best_wall_seconds "$MAPVET_BIN" debug map-idents --threads "$CHECK_THREADS" "$TARGET_PATH")"
    rss="$(peak_rss_mb "$MAPVET_BIN" debug map-idents --threads "$CHECK_THREADS" "$TARGET_PATH")"
    echo "    best_seconds $secs peak_rss_mb $rss" >&2
    add_result mapvet_typecheck "mapvet debug map-idents (load + parse + type-check, no rules)" tool \
        "$CHECK_THREADS" "?" 0 "$secs" 0 "$rss"
}

# `mapvet check` with every rule ignored: walk + read + parse only. The difference with
# measure_mapvet_check is what loading, type-checking and the rules add.
measure_mapvet_check_norules() {
    log "mapvet check --no-cache --ignore MV,MP --threads $CHECK_THREADS (parse only, best of $CHECK_RUNS)"
    local stats files bytes secs mbps rss
    stats="$("$MAPVET_BIN" check --no-cache --ignore MV,MP --stats --threads "$CHECK_THREADS" "$TARGET_PATH" 2>&1 >/dev/null || true)"
    files="$(awk '$1 == "files" { print $2; exit }' <<<"$stats")"
    bytes="$(awk '$1 == "bytes" { print $2; exit }' <<<"$stats")"
    secs="$(best_wall_seconds "$MAPVET_BIN" check --no-cache --ignore MV,MP --threads "$CHECK_THREADS" "$TARGET_PATH")"
    mbps="$(awk -v b="${bytes:-0}" -v s="$secs" 'BEGIN { printf "%.1f", b / 1e6 / s }')"
    rss="$(peak_rss_mb "$MAPVET_BIN" check --no-cache --ignore MV,MP --threads "$CHECK_THREADS" "$TARGET_PATH")"
    add_result mapvet_check_norules "mapvet check, no rules (walk + parse)" tool \
        "$CHECK_THREADS" "${files:-?}" "${bytes:-0}" "$secs" "$mbps" "$rss"
}

install_staticcheck() {
    if [[ ! -x "$STATICCHECK_BIN" ]]; then
        log "installing staticcheck $STATICCHECK_VERSION into $(dirname "$STATICCHECK_BIN")"
        GOTOOLCHAIN=local GOFLAGS=-mod=mod GOBIN="$(dirname "$STATICCHECK_BIN")" \
            go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION" >&2
    fi
}

# Wall seconds of one run of `$@` in directory TARGET_PATH, exit code ignored.
wall_once() {
    local t0 t1
    t0="$(date +%s.%N)"
    (cd "$TARGET_PATH" && "$@" >/dev/null 2>&1) || true
    t1="$(date +%s.%N)"
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

# staticcheck -checks SA5000 (the one check that overlaps mapvet's MV001) on the same tree,
# cold: fresh GOCACHE and staticcheck cache, so nothing is reused.
measure_staticcheck_cold() {
    [[ "$SKIP_ANCHORS" == 1 ]] && return
    install_staticcheck
    local cache secs
    cache="$(mktemp -d)"
    log "staticcheck -checks SA5000 ./... (cold: fresh GOCACHE and XDG_CACHE_HOME)"
    secs="$(GOCACHE="$cache/go" XDG_CACHE_HOME="$cache/xdg" GOFLAGS=-mod=mod wall_once "$STATICCHECK_BIN" -checks SA5000 ./...)"
    rm -rf "$cache"
    add_result staticcheck_cold "staticcheck $STATICCHECK_VERSION -checks SA5000, cold" tool \
        "$(nproc)" "?" 0 "$secs" 0
}

# The same, warm: the caches of a previous run are reused (best of CHECK_RUNS after a warm-up).
measure_staticcheck_warm() {
    [[ "$SKIP_ANCHORS" == 1 ]] && return
    install_staticcheck
    log "staticcheck -checks SA5000 ./... (warm)"
    local secs
    secs="$(cd "$TARGET_PATH" && GOFLAGS=-mod=mod best_wall_seconds "$STATICCHECK_BIN" -checks SA5000 ./...)"
    add_result staticcheck_warm "staticcheck $STATICCHECK_VERSION -checks SA5000, warm" tool \
        "$(nproc)" "?" 0 "$secs" 0
}

measure_govet_warm() {
    [[ "$SKIP_ANCHORS" == 1 ]] && return
    log "go vet ./... (warm)"
    local secs
    secs="$(cd "$TARGET_PATH" && GOTOOLCHAIN=local GOFLAGS=-mod=mod best_wall_seconds go vet ./...)"
    add_result govet_warm "go vet ./... (warm)" tool "$(nproc)" "?" 0 "$secs" 0
}

# `mapvet escape` (issue 6) against the bare compiler run it wraps, on GOROOT/src/net/http:
# `go build -o /dev/null -gcflags=net/http=-json=0,DIR net/http` with a new DIR for every run (a
# DIR used before makes the compilation a build-cache hit that writes no log). mapvet runs the
# same build, adding `-m` to the same flags, loads and type-checks net/http meanwhile, then
# reads both logs. The two commands alternate (the machine's load drifts) and each keeps its
# best of ESCAPE_RUNS runs, after one warm-up of each. Requirement: mapvet / bare ≤ 1.1.
MAX_RATIO_ESCAPE=1.1
ESCAPE_RUNS="${ESCAPE_RUNS:-5}"

# Wall seconds of one run of `$@` in directory $1 (output discarded, exit code ignored).
wall_in() {
    local dir="$1" t0 t1
    shift
    t0="$(date +%s.%N)"
    (cd "$dir" && "$@" >/dev/null 2>&1) || true
    t1="$(date +%s.%N)"
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

escape_bare_once() { # dir -> seconds
    local log secs
    log="$(mktemp -d)"
    secs="$(wall_in "$1" go build -o /dev/null "-gcflags=net/http=-json=0,$log" net/http)"
    rm -rf "$log"
    echo "$secs"
}

measure_escape_nethttp() {
    local dir best_go="" best_mv="" i
    dir="$(GOTOOLCHAIN=local go env GOROOT)/src/net/http"
    log "mapvet escape net/http vs go build -gcflags=net/http=-json=0,DIR (alternating, best of $ESCAPE_RUNS)"
    export GOTOOLCHAIN=local
    (cd "$dir" && go build -o /dev/null net/http) # dependencies in the build cache
    escape_bare_once "$dir" >/dev/null
    wall_in "$dir" "$MAPVET_BIN" escape net/http >/dev/null
    local tg tm
    for ((i = 0; i < ESCAPE_RUNS; i++)); do
        tg="$(escape_bare_once "$dir")"
        best_go="$(awk -v a="$tg" -v b="$best_go" 'BEGIN { print (b == "" || a < b) ? a : b }')"
        tm="$(wall_in "$dir" "$MAPVET_BIN" escape net/http)"
        best_mv="$(awk -v a="$tm" -v b="$best_mv" 'BEGIN { print (b == "" || a < b) ? a : b }')"
        echo "    run $((i + 1)): go build $tg s, mapvet escape $tm s" >&2
    done
    add_result escape_go "go build -gcflags=net/http=-json=0,DIR net/http (what mapvet escape wraps)" \
        tool "$(nproc)" "?" 0 "$best_go" 0
    add_result escape_mapvet "mapvet escape net/http (end to end)" tool "$(nproc)" "?" 0 "$best_mv" 0
}

# The `mapvet escape` ratio, when measured.
report_escape_markdown() {
    local a b r
    a="$(result_index escape_mapvet)"; b="$(result_index escape_go)"
    [[ -z "$a" || -z "$b" ]] && return
    r="$(awk -v x="${R_SECONDS[$a]}" -v y="${R_SECONDS[$b]}" 'BEGIN { printf "%.3f", x / y }')"
    echo
    echo "| mapvet escape (net/http) | value | required | verdict |"
    echo "|---|---:|---:|---|"
    echo "| mapvet escape / bare go build -gcflags=-json | ${r}x | ≤ ${MAX_RATIO_ESCAPE}x | $(awk -v r="$r" -v m="$MAX_RATIO_ESCAPE" 'BEGIN { print (r + 0 <= m) ? "PASS" : "FAIL" }') |"
}

# ---------------------------------------------------------------------------------------------
# Report

ratio() { # name_a name_b -> a's MB/s divided by b's
    local a b
    a="$(result_index "$1")"; b="$(result_index "$2")"
    if [[ -z "$a" || -z "$b" ]]; then echo "n/a"; return; fi
    awk -v x="${R_MBPS[$a]}" -v y="${R_MBPS[$b]}" 'BEGIN { if (y > 0) printf "%.1f", x / y; else print "n/a" }'
}

verdict() { # ratio minimum
    awk -v r="$1" -v m="$2" 'BEGIN { if (r == "n/a") print "n/a"; else if (r + 0 >= m) print "PASS"; else print "FAIL" }'
}

# Markdown table of every result, then the ratios.
report_markdown() {
    local i per_core
    echo "| measurement | threads | files | MB | best s | MB/s | MB/s per core | peak RSS MB |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for i in "${!R_NAME[@]}"; do
        per_core="$(awk -v m="${R_MBPS[$i]}" -v t="${R_THREADS[$i]}" 'BEGIN { printf "%.1f", m / t }')"
        printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' \
            "${R_LABEL[$i]}" "${R_THREADS[$i]}" "${R_FILES[$i]}" \
            "$(awk -v b="${R_BYTES[$i]}" 'BEGIN { printf "%.1f", b / 1e6 }')" \
            "$(awk -v s="${R_SECONDS[$i]}" 'BEGIN { printf "%.3f", s }')" \
            "$(awk -v m="${R_MBPS[$i]}" 'BEGIN { printf "%.1f", m }')" \
            "$per_core" "${R_RSS[$i]}"
    done
    echo
    local r1 r2
    r1="$(ratio mapvet_parse goparse)"
    r2="$(ratio mapvet_parse treesitter)"
    echo "| ratio (single core) | value | required | verdict |"
    echo "|---|---:|---:|---|"
    echo "| mapvet / go/parser | ${r1}x | ≥ ${MIN_RATIO_GOPARSE}x | $(verdict "$r1" "$MIN_RATIO_GOPARSE") |"
    echo "| mapvet / tree-sitter-go | ${r2}x | ≥ ${MIN_RATIO_TREESITTER}x | $(verdict "$r2" "$MIN_RATIO_TREESITTER") |"
    report_escape_markdown
    local full none typed sc_cold sc_warm vet warm
    full="$(seconds_of mapvet_check)"; none="$(seconds_of mapvet_check_norules)"
    warm="$(seconds_of mapvet_check_warm)"
    typed="$(seconds_of mapvet_typecheck)"
    sc_cold="$(seconds_of staticcheck_cold)"; sc_warm="$(seconds_of staticcheck_warm)"
    vet="$(seconds_of govet_warm)"
    echo
    echo "| wall-time comparison | value |"
    echo "|---|---:|"
    if [[ -n "$typed" && -n "$none" ]]; then
        echo "| loading + type-checking (map-idents) on top of parsing (target ≤ 0.5 s) | $(awk -v a="$typed" -v b="$none" 'BEGIN { printf "%.3f s", a - b }') |"
    fi
    if [[ -n "$full" && -n "$none" ]]; then
        echo "| semantic model + all rules on top of parsing | $(awk -v a="$full" -v b="$none" 'BEGIN { printf "%.3f s", a - b }') |"
    fi
    if [[ -n "$full" ]]; then
        echo "| mapvet check, all rules, no cache, wall (target ≤ 1 s) | $(awk -v a="$full" 'BEGIN { printf "%.3f s", a }') |"
    fi
    if [[ -n "$warm" ]]; then
        echo "| mapvet check, result cache warm, wall | $(awk -v a="$warm" 'BEGIN { printf "%.3f s", a }') |"
    fi
    if [[ -n "$full" && -n "$sc_cold" ]]; then
        echo "| staticcheck SA5000 cold / mapvet check, no cache (goal ≥ 200x) | $(awk -v a="$sc_cold" -v b="$full" 'BEGIN { printf "%.0fx", a / b }') |"
    fi
    if [[ -n "$full" && -n "$sc_warm" ]]; then
        echo "| staticcheck SA5000 warm / mapvet check, no cache | $(awk -v a="$sc_warm" -v b="$full" 'BEGIN { printf "%.1fx", a / b }') |"
    fi
    if [[ -n "$warm" && -n "$sc_warm" ]]; then
        echo "| staticcheck SA5000 warm / mapvet check warm (goal ≥ 15x) | $(awk -v a="$sc_warm" -v b="$warm" 'BEGIN { printf "%.1fx", a / b }') |"
    fi
    if [[ -n "$full" && -n "$vet" ]]; then
        echo "| go vet warm / mapvet check, no cache | $(awk -v a="$vet" -v b="$full" 'BEGIN { printf "%.1fx", a / b }') |"
    fi
    if [[ -n "$warm" && -n "$vet" ]]; then
        echo "| go vet warm / mapvet check warm | $(awk -v a="$vet" -v b="$warm" 'BEGIN { printf "%.1fx", a / b }') |"
    fi
}

seconds_of() { # name -> best seconds, or nothing
    local i
    i="$(result_index "$1")"
    [[ -n "$i" ]] && echo "${R_SECONDS[$i]}"
}

locked_version() { # crate name in bench/treesitter/Cargo.lock
    awk -v n="$1" '$1 == "name" && $3 == "\"" n "\"" { getline; gsub(/"/, "", $3); print $3; exit }' \
        bench/treesitter/Cargo.lock 2>/dev/null || true
}

machine_markdown() {
    local cpu commit
    cpu="$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | sed 's/^[^:]*: *//')"
    commit="$(git rev-parse --short HEAD 2>/dev/null || echo none)"
    if [[ -n "$(git status --porcelain 2>/dev/null | head -n 1)" ]]; then commit="$commit (dirty)"; fi
    echo "- machine: $(nproc) cores (nproc), CPU: ${cpu:-unknown}"
    echo "- $(go version)"
    echo "- $(rustc --version)"
    echo "- mapvet commit: $commit"
    echo "- file set: \`${TARGET_PATH}\`, best of $PASSES passes per parser, best of $CHECK_RUNS runs of \`mapvet check\`"
    echo "- load average (1/5/15 min) when the measurements started: ${LOAD_BEFORE:-unknown}"
}

# Appends the section for today, replacing an earlier one of the same date.
record_results() {
    local doc="${PERF_DOC:-docs/PERFORMANCE.md}" date begin end tmp
    date="$(date -u +%Y-%m-%d)"
    begin="<!-- bench-results $date begin -->"
    end="<!-- bench-results $date end -->"
    tmp="$(mktemp)"
    if [[ -f "$doc" ]]; then
        awk -v b="$begin" -v e="$end" '
            $0 == b { skip = 1; next }
            $0 == e { skip = 0; next }
            !skip { lines[++n] = $0 }
            END {   # drop trailing blank lines
                while (n > 0 && lines[n] ~ /^[[:space:]]*$/) n--
                for (i = 1; i <= n; i++) print lines[i]
            }' "$doc" >"$tmp"
    fi
    {
        echo
        echo "$begin"
        echo "### $date"
        echo
        machine_markdown
        echo
        report_markdown
        echo "$end"
    } >>"$tmp"
    mv "$tmp" "$doc"
    log "recorded results in $doc"
}

# ---------------------------------------------------------------------------------------------

main() {
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --record) RECORD=1 ;;
            --skip-build) SKIP_BUILD=1 ;;
            -n) PASSES="${2:?-n needs a value}"; shift ;;
            --check-runs) CHECK_RUNS="${2:?--check-runs needs a value}"; shift ;;
            -h | --help) usage ;;
            -*) echo "run.sh: unknown flag $1" >&2; usage ;;
            *) TARGET_PATH="$1" ;;
        esac
        shift
    done
    if [[ -z "$TARGET_PATH" ]]; then
        TARGET_PATH="$(go env GOROOT)/src"
    fi
    TARGET_PATH="$(cd "$TARGET_PATH" 2>/dev/null && pwd || echo "$TARGET_PATH")"

    if [[ "$SKIP_BUILD" == 0 ]]; then
        build_all
    fi

    LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true)"
    local m
    for m in "${MEASUREMENTS[@]}"; do
        "measure_$m"
    done

    echo
    machine_markdown
    echo
    report_markdown

    if [[ "$RECORD" == 1 ]]; then
        record_results
    fi
}

main "$@"
