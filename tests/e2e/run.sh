#!/usr/bin/env bash
# End-to-end suite: the Bookshop service (fixtures/e2e/app) under uvicorn,
# a real headless Locust run against it, and `cov audit` on both: the spec
# fetched live, the stats CSV Locust wrote, and a running Locust's web stats.
#
# Needs python3 with venv; installs the pinned packages of
# tests/e2e/requirements.txt into .venv-e2e (reused while that file is
# unchanged). All traffic stays on 127.0.0.1. Every process started here is
# stopped on exit, also on failure or interrupt.
#
#   tests/e2e/run.sh            # builds cov (debug) unless COV=path/to/cov is set
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
HERE=tests/e2e
APP_DIR=fixtures/e2e
VENV=${VENV:-.venv-e2e}
PYTHON=${PYTHON:-python3}
REQS=$HERE/requirements.txt
RUN_TIME=${E2E_RUN_TIME:-10s}

passed=0
failed=0
pids=()
work=$(mktemp -d "${TMPDIR:-/tmp}/cov-e2e.XXXXXX")

cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ $# -gt 1 ] && sed 's/^/     /' "$2"; }
finish() {
    echo "e2e: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}
die() { echo "e2e: $1" >&2; echo "e2e: $passed passed, $((failed + 1)) failed"; exit 1; }

# check NAME EXPECTED_FILE ACTUAL_FILE
check_same() {
    if diff -u "$2" "$3" >"$work/diff" 2>&1; then pass "$1"; else fail "$1" "$work/diff"; fi
}
# check_status NAME EXPECTED ACTUAL STDERR_FILE
check_status() {
    if [ "$2" = "$3" ]; then pass "$1"; else
        echo "exit status $3, expected $2" >"$work/why"
        cat "$4" >>"$work/why" 2>/dev/null
        fail "$1" "$work/why"
    fi
}

# --- cov -------------------------------------------------------------------
if [ -z "${COV:-}" ]; then
    cargo build --quiet --locked || die "cargo build failed"
    COV=target/debug/cov
fi
[ -x "$COV" ] || die "no cov binary at $COV"

# --- virtualenv, rebuilt only when the pinned requirements change -----------
want=$(cksum <"$REQS")
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.requirements" 2>/dev/null)" != "$want" ]; then
    echo "e2e: installing $REQS into $VENV"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV" || die "cannot create a virtualenv with $PYTHON (install python3-venv)"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQS" || die "pip install failed"
    echo "$want" >"$VENV/.requirements"
fi
PY=$VENV/bin/python

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_for URL PID: bounded (30 s) wait until URL answers 200, failing early if PID dies.
wait_for() {
    "$PY" - "$1" "$2" <<'EOF'
import os, sys, time, urllib.request
url, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(f"process {pid} exited before {url} answered")
    try:
        with urllib.request.urlopen(url, timeout=1) as r:
            if r.status == 200:
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.1)
sys.exit(f"{url} did not answer within 30 s")
EOF
}

# --- the service ------------------------------------------------------------
port=$(free_port)
base=http://127.0.0.1:$port
"$VENV/bin/uvicorn" app.main:app --app-dir "$APP_DIR" --host 127.0.0.1 --port "$port" \
    --log-level warning >"$work/uvicorn.log" 2>&1 &
pids+=($!)
wait_for "$base/health" "${pids[-1]}" || { cat "$work/uvicorn.log" >&2; die "the service did not start"; }
pass "service answers on $base"

"$PY" -c 'import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1]).read())' \
    "$base/openapi.json" >"$work/live-openapi.json"
if "$PY" "$HERE/check.py" spec "$work/live-openapi.json" "$APP_DIR/openapi.json"; then
    pass "committed $APP_DIR/openapi.json matches the live service"
else
    echo "regenerate it: cd $APP_DIR && python -c 'import json; from app.main import app; print(json.dumps(app.openapi(), indent=2, sort_keys=True))' > openapi.json" >"$work/why"
    fail "committed $APP_DIR/openapi.json matches the live service" "$work/why"
fi

# --- static coverage, spec fetched live --------------------------------------
audit=("$COV" audit --spec "$base/openapi.json" --routers "$APP_DIR/app" --locustfile "$APP_DIR/locustfile.py")
"${audit[@]}" --format json >"$work/static.json" 2>"$work/static.err"
check_status "cov audit (live spec) fails the gate on missing endpoints" 1 $? "$work/static.err"
"$PY" "$HERE/check.py" static "$work/static.json" >"$work/static.txt" 2>&1
check_same "static covered / setup_only / missing / unmatched sets" "$HERE/expected/static.txt" "$work/static.txt"

# --- a real headless Locust run ----------------------------------------------
"$VENV/bin/locust" -f "$APP_DIR/locustfile.py" --headless -u 5 -r 5 -t "$RUN_TIME" \
    --exclude-tags nightly --host "$base" --csv "$work/run" --exit-code-on-error 0 \
    --only-summary >"$work/locust.log" 2>&1 &
pids+=($!)
if wait "${pids[-1]}" && [ -s "$work/run_stats.csv" ]; then
    pass "headless Locust run wrote run_stats.csv"
else
    fail "headless Locust run wrote run_stats.csv" "$work/locust.log"
fi

"${audit[@]}" --stats "$work/run_stats.csv" --format json >"$work/runtime.json" 2>"$work/runtime.err"
check_status "cov audit --stats (CSV) keeps the static gate" 1 $? "$work/runtime.err"
"$PY" "$HERE/check.py" runtime "$work/runtime.json" >"$work/runtime.txt" 2>&1
check_same "runtime exercised / failing / declared_not_run / not_run sets" "$HERE/expected/runtime.txt" "$work/runtime.txt"

"$COV" audit --spec "$APP_DIR/openapi.json" --locustfile "$APP_DIR/locustfile.py" \
    --stats "$work/run_stats.csv" >"$work/table.txt" 2>"$work/table.err"
if grep -q "runtime: 22 exercised, 1 failing, 1 declared but not run, 3 not run; 1 stats row unattributed" \
    "$work/table.txt" "$work/table.err"; then
    pass "table report carries the runtime summary"
else
    cat "$work/table.txt" "$work/table.err" >"$work/why"
    fail "table report carries the runtime summary" "$work/why"
fi

"$COV" audit --spec "$APP_DIR/openapi.json" --locustfile "$APP_DIR/locustfile.py" \
    --stats "$work/run_stats.csv" --fail-on-failures --max-failure-rate 1 --fail-under 0 \
    --format json >/dev/null 2>"$work/gate.err"
check_status "--max-failure-rate 1 lets the failing endpoint pass" 0 $? "$work/gate.err"
"$COV" audit --spec "$APP_DIR/openapi.json" --locustfile "$APP_DIR/locustfile.py" \
    --stats "$work/run_stats.csv" --fail-on-failures --fail-under 0 \
    --format json >/dev/null 2>"$work/gate.err"
check_status "--fail-on-failures fails the gate on the failing endpoint" 1 $? "$work/gate.err"

"$COV" audit --spec "$APP_DIR/openapi.json" --locustfile "$APP_DIR/locustfile.py" \
    --stats "$work/run_failures.csv" >/dev/null 2>"$work/bad.err"
status=$?
if [ "$status" = 2 ] && grep -q "run_failures.csv: not a Locust stats file: missing columns" "$work/bad.err"; then
    pass "Locust's failures CSV is refused with exit 2"
else
    echo "exit status $status" | cat - "$work/bad.err" >"$work/why"
    fail "Locust's failures CSV is refused with exit 2" "$work/why"
fi

# --- a running Locust's web statistics ----------------------------------------
web_port=$(free_port)
"$VENV/bin/locust" -f "$APP_DIR/locustfile.py" --autostart -u 2 -r 2 \
    --exclude-tags nightly --host "$base" --web-host 127.0.0.1 --web-port "$web_port" \
    >"$work/locust-web.log" 2>&1 &
pids+=($!)
web=http://127.0.0.1:$web_port
if wait_for "$web/stats/requests" "${pids[-1]}"; then
    sleep 3
    for source in "$web/stats/requests/csv" "$web/stats/requests"; do
        : >"$work/why"
        "$COV" audit --spec "$APP_DIR/openapi.json" --locustfile "$APP_DIR/locustfile.py" \
            --stats "$source" --format json >"$work/web.json" 2>"$work/web.err"
        status=$?
        if [ "$status" != 2 ] && "$PY" - "$work/web.json" <<'EOF' >"$work/why" 2>&1; then
import json, sys
audit = json.load(open(sys.argv[1]))
runs = {f"{e['method']} {e['path']}": e["runtime"]["requests"] for e in audit["endpoints"]}
assert sum(runs.values()) > 0, "no requests attributed"
assert all("runtime" in e for e in audit["endpoints"]), "an endpoint without runtime"
assert runs["POST /admin/users"] > 0, "on_start requests not attributed"
EOF
            pass "cov audit --stats $source"
        else
            cat "$work/web.err" >>"$work/why"
            fail "cov audit --stats $source (exit $status)" "$work/why"
        fi
    done
else
    fail "Locust web UI answers" "$work/locust-web.log"
fi

finish
