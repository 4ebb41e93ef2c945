#!/usr/bin/env bash
# A longer schemathesis run (`st run`) against a live server with the demo data.
#
#   scripts/fuzz-live.sh                    # 10 minutes, 100 examples per operation
#   MAX_TIME=60 MAX_EXAMPLES=20 scripts/fuzz-live.sh
#   SEED=1 scripts/fuzz-live.sh -v          # extra arguments go to `st run`
#
# Starts gunicorn (or runserver when gunicorn is missing) on 127.0.0.1 with a fresh
# SQLite database in a temporary directory (or DATABASE_URL, which must point to an
# empty database you can throw away), migrates it, loads `crownline demo`, signs in the
# demo logins, runs every phase with the checks of tests/fuzz plus object-level
# authorization between the demo lab's admin and dentist and the second lab's admin and
# dentist, and stops the server. Exit status: schemathesis's. Not part of `make test`.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
PORT=${PORT:-8765}
MAX_TIME=${MAX_TIME:-600}
MAX_EXAMPLES=${MAX_EXAMPLES:-100}
SEED=${SEED:-20261126}
PASSWORD=crownline-demo

WORK=$(mktemp -d "${TMPDIR:-/tmp}/crownline-fuzz.XXXXXX")
export CROWNLINE_DATA_DIR="$WORK"
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

"$BIN/crownline" migrate --noinput >/dev/null
"$BIN/crownline" demo --password "$PASSWORD" >/dev/null

if [[ -x "$BIN/gunicorn" ]]; then
    # No request-line limit: a generated URL of 5 KB would get gunicorn's own HTML 414, before
    # the app sees it (in production the proxy in front sets that limit).
    "$BIN/gunicorn" crownline.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --threads 2 \
        --limit-request-line 0 --log-level warning >"$WORK/server.log" 2>&1 &
else
    "$BIN/crownline" runserver "127.0.0.1:$PORT" --noreload >"$WORK/server.log" 2>&1 &
fi
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 60); do
    curl -fs "$BASE/api/v1/openapi.json" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
    sleep 0.5
done

token() {
    curl -fs -X POST "$BASE/api/v1/auth/token" -H 'Content-Type: application/json' \
        -d "{\"username\": \"$1\", \"password\": \"$PASSWORD\"}" |
        "$BIN/python" -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

# Tokens, not a login endpoint: fuzzing /auth/token with wrong passwords trips the login
# throttle for this address, which would then refuse schemathesis's own sign-ins.
{
    echo '{"auth": ['
    sep=""
    for user in lab-admin dentist other-admin other-dentist; do
        printf '%s{"name": "%s", "fixedHeaders": [{"name": "Authorization", "value": "Bearer %s"}]}\n' \
            "$sep" "$user" "$(token "$user")"
        sep=","
    done
    echo ']}'
} >"$WORK/peers.json"

cat >"$WORK/schemathesis.toml" <<TOML
seed = $SEED
max-time = $MAX_TIME
continue-on-failure = true

[generation]
max-examples = $MAX_EXAMPLES

[auth.wfc]
path = "$WORK/peers.json"
peers = ["lab-admin", "dentist", "other-admin", "other-dentist"]

[checks]
enabled = false
not_a_server_error.enabled = true
status_code_conformance.enabled = true
content_type_conformance.enabled = true
response_schema_conformance.enabled = true
negative_data_rejection.enabled = true
ignored_auth.enabled = true
object_level_authorization.enabled = true
TOML

status=0
# A fresh Idempotency-Key per request, as a client sends it (tests/fuzz/live_hooks.py): repeated
# generated keys are refused (422) by design, which schemathesis would read as a hidden rule.
export SCHEMATHESIS_HOOKS="$PWD/tests/fuzz/live_hooks.py"
# Signing out and revoking tokens would end the peers' own tokens mid-run (every later call a
# 401); tests/fuzz fuzzes them in-process, with a fresh world per operation.
"$BIN/st" --config-file "$WORK/schemathesis.toml" run "$BASE/api/v1/openapi.json" \
    --exclude-path-regex '/auth/(sign-out|tokens/)' "$@" || status=$?
if [[ $status -ne 0 ]]; then
    echo "--- server log (last 40 lines) ---"
    tail -n 40 "$WORK/server.log"
fi
exit $status
