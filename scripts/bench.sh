#!/usr/bin/env bash
# Whole-process benchmark of `cov audit` on generated inputs at 1x, 10x and
# 100x the size of a real gateway (581 operations, an 8,000-line locustfile,
# 35 router files), plus the scale target (100,000 operations, a
# 1,000,000-line locustfile with 50,000 request sites).
#
# Prints one markdown table: input size, median wall time, CPU time, peak
# memory, and per-stage throughput measured in-process by
# `examples/stages.rs` (best CPU time of repeated runs).
#
#   scripts/bench.sh                 # every case
#   CASES="1x 10x" scripts/bench.sh  # a subset
#   REAL_SPEC=path/to/openapi.json scripts/bench.sh   # also time a spec of your own
#
# Inputs are generated once into target/bench-data/ and reused while the
# generator's source is unchanged. Wall time is the median of several runs
# (hyperfine when installed, else a shell loop); peak memory is the maximum
# resident set size reported by GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA=target/bench-data
COV=target/release/cov
GEN=target/release/examples/generate
STAGES=target/release/examples/stages
CASES=${CASES:-"real real+routers 1x 1x+routers 10x 10x+routers 100x 100x+routers scale"}
SEED=${SEED:-1}

# Optional tools, from the distribution's packages when we may install them.
if ! command -v hyperfine >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y -qq hyperfine >/dev/null 2>&1 || true
fi
if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y -qq time >/dev/null 2>&1 || true
fi

cargo build --release --locked --quiet --bin cov --example generate
cargo build --release --locked --quiet --example stages 2>/dev/null || true
mkdir -p "$DATA"

# Generated inputs are keyed by the generator's source and arguments.
gen_key=$(cat examples/generate/*.rs | cksum | cut -d' ' -f1)
generate() { # NAME ARGS...
    local name=$1
    shift
    local stamp="$DATA/$name/.stamp"
    local key="$gen_key $SEED $*"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$key" ]; then
        echo "generating $name ($*)" >&2
        rm -rf "${DATA:?}/$name"
        "$GEN" --out "$DATA/$name" --seed "$SEED" "$@" >"$DATA/$name.summary"
        echo "$key" >"$stamp"
    fi
}

# median_ms RUNS CMD...: median wall time and mean CPU time (user + system),
# in milliseconds.
median_ms() {
    local runs=$1
    shift
    if command -v hyperfine >/dev/null 2>&1; then
        local csv
        csv=$(mktemp)
        hyperfine -N -i --style none --warmup 2 --runs "$runs" --export-csv "$csv" -- "$(printf '%q ' "$@")" >/dev/null 2>&1
        # command,mean,stddev,median,user,system,min,max (seconds); prints
        # "median_ms cpu_ms" where cpu is the mean user + system time.
        awk -F, 'NR == 2 { printf "%.1f %.1f", $4 * 1000, ($5 + $6) * 1000 }' "$csv"
        rm -f "$csv"
    else
        local i t0 t1
        for ((i = 0; i < runs; i++)); do
            t0=$(date +%s%N)
            "$@" >/dev/null 2>&1 || true
            t1=$(date +%s%N)
            echo $(((t1 - t0) / 1000))
        done | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f n/a", (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) / 1000 }'
    fi
}

# peak_mb CMD...: maximum resident set size in MiB.
peak_mb() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%M' -o "$DATA/.rss" "$@" >/dev/null 2>&1 || true
        # The last line holds the figure (GNU time may first note the exit status).
        tail -n1 "$DATA/.rss" | awk '{ printf "%.1f", $1 / 1024 }'
    else
        printf 'n/a'
    fi
}

# stage KEY FILE: a value printed by examples/stages as `key=value`.
stage() {
    awk -F= -v k="$1" '$1 == k { print $2 }' "$2" 2>/dev/null | head -n1
}

row() { # LABEL SPEC LOCUSTFILE ROUTERS RUNS TARGET_MS
    local label=$1 spec=$2 locust=$3 routers=$4 runs=$5 target=$6
    local args=(audit --quiet --spec "$spec" --locustfile "$locust" --alias /v1)
    if [ -n "$routers" ]; then args+=(--routers "$routers"); fi
    local status=0
    "$COV" "${args[@]}" >/dev/null 2>"$DATA/.stderr" || status=$?
    if [ "$status" -gt 1 ]; then
        printf '| %s | %s | cov failed (exit %s): %s |\n' "$label" "-" "$status" "$(head -c 120 "$DATA/.stderr" | tr '\n|' '  ')"
        return
    fi
    local wall cpu peak
    read -r wall cpu <<<"$(median_ms "$runs" "$COV" "${args[@]}")"
    peak=$(peak_mb "$COV" "${args[@]}")

    local st="$DATA/.stages-${label%% *}"
    : >"$st"
    if [ -x "$STAGES" ]; then
        local sargs=(--spec "$spec" --locustfile "$locust" --alias /v1)
        if [ -n "$routers" ]; then sargs+=(--routers "$routers"); fi
        "$STAGES" "${sargs[@]}" >"$st" 2>/dev/null || true
    fi
    local ops spec_mb lines sites rfiles rlines tok spec_rate scan_rate route_rate lookups
    ops=$(stage spec_ops "$st")
    spec_mb=$(awk -v b="$(wc -c <"$spec")" 'BEGIN { printf "%.1f", b / 1048576 }')
    lines=$(wc -l <"$locust")
    sites=$(stage sites "$st")
    rfiles="-"
    rlines="-"
    if [ -n "$routers" ]; then
        rfiles=$(find "$routers" -name '*.py' | wc -l)
        rlines=$(find "$routers" -name '*.py' -exec cat {} + | wc -l)
    fi
    tok=$(stage tokenizer_mb_s "$st")
    spec_rate=$(stage spec_mb_s "$st")
    scan_rate=$(stage scanner_mb_s "$st")
    route_rate=$(stage routes_mb_s "$st")
    lookups=$(stage matcher_lookups_s "$st")
    local verdict="-"
    if [ -n "$target" ]; then
        verdict=$(awk -v w="$wall" -v t="$target" 'BEGIN { print (w <= t ? "<= " t " ms: yes" : "<= " t " ms: NO") }')
    fi
    echo "process_cpu_ms=$cpu" >>"$st"
    printf '| %s | %s | %s | %s | %s | %s / %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
        "$label" "${ops:-?}" "$spec_mb" "$lines" "${sites:-?}" "$rfiles" "$rlines" \
        "$wall" "$cpu" "$peak" "$verdict" "${tok:-n/a}" "${spec_rate:-n/a}" "${scan_rate:-n/a}" "${route_rate:-n/a}" "${lookups:-n/a}"
}

for case in $CASES; do
    case $case in
    1x | 1x+routers | real | real+routers) generate 1x --scale 1 ;;
    10x | 10x+routers) generate 10x --scale 10 ;;
    100x | 100x+routers) generate 100x --scale 100 ;;
    scale) generate scale --ops 100000 --sites 50000 --router-files 0 ;;
    *) echo "unknown case: $case" >&2 && exit 2 ;;
    esac
done

echo
echo "cov audit, release build, $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)"
echo
echo '| input | operations | spec MB | locustfile lines | request sites | router files / lines | wall ms (median) | CPU ms (user+sys) | peak RSS MiB | target | tokenizer MB/s | spec parse MB/s | scanner MB/s | router reader MB/s | matcher lookups/s |'
echo '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|'
for case in $CASES; do
    d="$DATA/${case%%+*}"
    routers=""
    case $case in *+routers) routers="$d/service" ;; esac
    case $case in
    real | real+routers)
        [ -n "${REAL_SPEC:-}" ] && [ -f "$REAL_SPEC" ] || continue
        d="$DATA/1x"
        [ -n "$routers" ] && routers="$d/service"
        target=15
        [ -n "$routers" ] && target=40
        row "$case ($(basename "$REAL_SPEC"))" "$REAL_SPEC" "$d/locustfile.py" "$routers" 30 "$target"
        ;;
    1x) row 1x "$d/openapi.json" "$d/locustfile.py" "" 30 15 ;;
    1x+routers) row 1x+routers "$d/openapi.json" "$d/locustfile.py" "$routers" 30 40 ;;
    10x | 10x+routers) row "$case" "$d/openapi.json" "$d/locustfile.py" "$routers" 10 "" ;;
    100x | 100x+routers) row "$case" "$d/openapi.json" "$d/locustfile.py" "$routers" 3 "" ;;
    scale) row "scale (100k ops, 1M lines)" "$d/openapi.json" "$d/locustfile.py" "" 3 3000 ;;
    esac
done

STAGE_KEYS="spec_ms tokenizer_ms scanner_ms routes_ms attribute_ms index_ms matcher_ms audit_ms"

# ratio_table SMALL LARGE FILE_A FILE_B KEYS...: one row per stage time found
# in both files, with the ratio of the larger input's to the smaller's.
ratio_table() {
    local small=$1 large=$2 a=$3 b=$4
    shift 4
    echo '| stage | '"$small"' ms | '"$large"' ms | ratio |'
    echo '|---|---:|---:|---:|'
    local key x y
    for key in "$@"; do
        x=$(stage "$key" "$a")
        y=$(stage "$key" "$b")
        [ -n "$x" ] && [ -n "$y" ] || continue
        awk -v k="${key%_ms}" -v x="$x" -v y="$y" 'BEGIN { printf "| %s | %s | %s | %.1f |\n", k, x, y, (x > 0 ? y / x : 0) }'
    done
}

# Linearity: ten times the input should cost at most twelve times the time,
# at every stage (CPU time, so that other processes do not blur it).
linearity() { # SMALL LARGE
    local a="$DATA/.stages-$1" b="$DATA/.stages-$2"
    # Only cases measured in this run, never a file left by an earlier one.
    case " $CASES " in *" $1 "*) ;; *) return 0 ;; esac
    case " $CASES " in *" $2 "*) ;; *) return 0 ;; esac
    [ -s "$a" ] && [ -s "$b" ] || return 0
    echo
    echo "Linearity, $1 -> $2 (CPU time ratio; the target is at most 12):"
    echo
    ratio_table "$1" "$2" "$a" "$b" $STAGE_KEYS process_cpu_ms
}
linearity 1x+routers 10x+routers
linearity 10x+routers 100x+routers

# The same, stage by stage as one `cov` process meets them: each stage run
# once, cold (`stages --once`), the median of several processes. A process
# never repeats a stage, so this is the cost a user pays; the best-of-many
# figures above favour the small input, whose data stays in the CPU caches
# between repeats.
once_run() { # CASE ALL: one `stages --once` process, its figures appended to ALL
    local d="$DATA/${1%%+*}"
    [ -x "$STAGES" ] && [ -f "$d/openapi.json" ] || return 1
    local sargs=(--spec "$d/openapi.json" --locustfile "$d/locustfile.py" --alias /v1 --once)
    case "$1" in *+routers) sargs+=(--routers "$d/service") ;; esac
    "$STAGES" "${sargs[@]}" >>"$2" 2>/dev/null
}
once_median() { # ALL OUT: the median of each stage's figures
    : >"$2"
    for key in $STAGE_KEYS; do
        awk -F= -v k="$key" '$1 == k { print $2 }' "$1" | sort -g |
            awk -v k="$key" '{ v[NR] = $1 } END { if (NR) print k "=" v[int((NR + 1) / 2)] }' >>"$2"
    done
}
once_medians() { # SMALL LARGE OUT_SMALL OUT_LARGE
    # The two inputs' processes alternate, so that a machine that slows
    # down or speeds up during the run weighs on both alike.
    : >"$3.all"
    : >"$4.all"
    for _ in $(seq "${ONCE_RUNS:-21}"); do
        once_run "$1" "$3.all" && once_run "$2" "$4.all" || return 1
    done
    once_median "$3.all" "$3"
    once_median "$4.all" "$4"
}
linearity_once() { # SMALL LARGE
    local a="$DATA/.once-$1" b="$DATA/.once-$2"
    once_medians "$1" "$2" "$a" "$b" || return 0
    echo
    echo "Linearity, $1 -> $2, each stage once and cold as in one cov process (median of ${ONCE_RUNS:-21}; target at most 12):"
    echo
    ratio_table "$1" "$2" "$a" "$b" $STAGE_KEYS
}
linearity_once 1x+routers 10x+routers
case " $CASES " in *" 100x+routers "*) ONCE_RUNS=${ONCE_RUNS_100X:-15} linearity_once 10x+routers 100x+routers ;; esac
