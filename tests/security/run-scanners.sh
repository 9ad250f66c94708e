#!/usr/bin/env bash
# Security scanners against Innsikt on loopback with fresh demo data: sqlmap on every query
# parameter and form field of the main pages (signed in as the demo manager and staff user,
# the read API with Bearer tokens, the public login and invitation forms), then wapiti
# crawling and attacking the signed-in app. Exit 1 on any finding of medium severity or
# higher (a 5xx response counts) or on a scan that did not finish; 2 on a setup error.
#
#   tests/security/run-scanners.sh            full run (sqlmap level 3 / risk 2 on every target;
#                                             wapiti's default modules as manager and as staff)
#   tests/security/run-scanners.sh --fast     the CI subset (10 sqlmap targets at level 1 / risk 1
#                                             within a time budget; wapiti as manager on a bounded
#                                             crawl, each module time-boxed)
# Options:
#   --sqlmap-only | --wapiti-only    one scanner only
#   --only NAME[,NAME…]              only these sqlmap targets (names: see README.md)
#   --skip-build                     use the current build/ (also INNSIKT_SKIP_BUILD=1)
#   --keep                           keep the work directory (kept anyway when the run fails)
# Environment: DATABASE_URL (scan a fresh database created on that server instead of an
# embedded PGlite), SQLMAP_LEVEL, SQLMAP_RISK, SQLMAP_TARGET_TIMEOUT, SQLMAP_BUDGET,
# SQLMAP_TRAFFIC=1 (keep sqlmap's full traffic log), WAPITI_MODULES, WAPITI_TIMEOUT. Needs sqlmap and wapiti from Debian (apt-get install -y
# sqlmap wapiti), curl and Node 20; no internet.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/tests/security"
cd "$ROOT"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

MODE=full
RUN_SQLMAP=1
RUN_WAPITI=1
ONLY=""
KEEP=0
SKIP_BUILD=${INNSIKT_SKIP_BUILD:-0}
while [ $# -gt 0 ]; do
  case "$1" in
    --fast) MODE=fast ;;
    --full) MODE=full ;;
    --sqlmap-only) RUN_WAPITI=0 ;;
    --wapiti-only) RUN_SQLMAP=0 ;;
    --only) ONLY=${2:?--only needs target names}; shift ;;
    --skip-build) SKIP_BUILD=1 ;;
    --keep) KEEP=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

if [ "$MODE" = fast ]; then
  LEVEL=${SQLMAP_LEVEL:-1}
  RISK=${SQLMAP_RISK:-1}
  TARGET_TIMEOUT=${SQLMAP_TARGET_TIMEOUT:-120}
  SQLMAP_BUDGET=${SQLMAP_BUDGET:-180} # seconds for all sqlmap targets together
  WAPITI_USERS=(manager)
  # wapiti's default modules on a bounded crawl: 3 links deep, 4 pages per folder, 30 s of
  # crawling; each module stops after 15 s
  WAPITI_MODULES=${WAPITI_MODULES:-blindsql,cookieflags,csp,exec,file,http_headers,permanentxss,redirect,sql,ssrf,xss}
  WAPITI_LIMITS=(-d 3 --max-files-per-dir 4 --max-links-per-page 40 --max-scan-time 30 --max-attack-time 15)
  WAPITI_TIMEOUT=${WAPITI_TIMEOUT:-240}
else
  LEVEL=${SQLMAP_LEVEL:-3}
  RISK=${SQLMAP_RISK:-2}
  TARGET_TIMEOUT=${SQLMAP_TARGET_TIMEOUT:-1800}
  SQLMAP_BUDGET=${SQLMAP_BUDGET:-0} # 0: no overall budget
  WAPITI_USERS=(manager staff)
  # wapiti 3.0.4's default set ("used by default" in wapiti --list-modules)
  WAPITI_MODULES=${WAPITI_MODULES:-blindsql,cookieflags,csp,exec,file,http_headers,permanentxss,redirect,sql,ssrf,xss}
  WAPITI_LIMITS=()
  WAPITI_TIMEOUT=${WAPITI_TIMEOUT:-5400}
fi

# ---- tools -------------------------------------------------------------------------------
need=(curl node)
[ "$RUN_SQLMAP" = 1 ] && need+=(sqlmap)
[ "$RUN_WAPITI" = 1 ] && need+=(wapiti)
missing=()
for tool in "${need[@]}"; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing: ${missing[*]}. Install from Debian: apt-get update && apt-get install -y sqlmap wapiti curl" >&2
  exit 2
fi
# The interpreter wapiti runs on (its wapitiCore lives there); report.py needs only the stdlib.
PY=/usr/bin/python3
if [ "$RUN_WAPITI" = 1 ]; then PY=$(sed -n '1s/^#! *\([^ ]*\).*/\1/p' "$(command -v wapiti)"); fi
[ -x "$PY" ] || PY=$(command -v python3)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/innsikt-scan.XXXXXX")
STARTED=$SECONDS
SERVER_PID=""

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 30); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
# shellcheck disable=SC2317  # (called by the EXIT trap)
cleanup() {
  local status=$?
  stop_server
  rm -rf "$WORK/pglite"
  if [ "$KEEP" = 1 ] || [ "$status" -ne 0 ]; then
    echo "work directory (logs, reports, sqlmap traffic): $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

harness() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$WORK/harness.tsv"; echo "  ! $2: $3"; }

# ---- the app -----------------------------------------------------------------------------
echo "== Innsikt security scan ($MODE) — work directory $WORK"
if [ "$SKIP_BUILD" != 1 ]; then
  echo "building the app (remix build)…"
  node_modules/.bin/remix build >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; echo "build failed" >&2; exit 2; }
fi
echo "starting the app on loopback with fresh demo data${DATABASE_URL:+ (in a new database on the DATABASE_URL server)}…"
OUTBOX_DIR="$WORK/outbox" NODE_ENV=production node --import tsx "$HERE/scan-server.ts" --work "$WORK" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 300); do
  [ -f "$WORK/state.json" ] && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    cat "$WORK/server.log"
    echo "the app did not start" >&2
    exit 2
  fi
  sleep 1
done
[ -f "$WORK/state.json" ] || { cat "$WORK/server.log"; echo "the app was not ready within 300 s" >&2; exit 2; }

state() {
  "$PY" -c 'import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2].split("."): value = value[key]
print("\n".join(value) if isinstance(value, list) else value)' "$WORK/state.json" "$1"
}
ORIGIN=$(state origin)
CANARY=$(state canary)
PASSWORD=$(state password)
SETUP_SECONDS=$((SECONDS - STARTED))
echo "app at $ORIGIN ($(state database), ready after ${SETUP_SECONDS} s)"

# ---- sessions ------------------------------------------------------------------------------
# Signing in goes through POST /login like a browser (same-origin Origin header); the session
# cookie is Secure, which curl, sqlmap and wapiti send over http anyway when given explicitly.
declare -A TOKEN=() SECURE=()
email_of() { state "users.$1"; }
login() { # role → sets TOKEN[role]
  local headers
  headers=$(curl -sS --max-time 60 -o /dev/null -D - -H "Origin: $ORIGIN" -H "X-Scan-Target: login" \
    --data-urlencode "email=$(email_of "$1")" --data-urlencode "password=$PASSWORD" --data-urlencode "redirectTo=/" \
    "$ORIGIN/login" </dev/null | tr -d '\r') || true
  TOKEN[$1]=$(sed -n 's/^[Ss]et-[Cc]ookie: innsikt_session=\([a-z2-7]\{32\}\);.*/\1/p' <<<"$headers" | head -n 1)
  if grep -qi '^set-cookie: innsikt_session=.*; *secure' <<<"$headers"; then SECURE[$1]=true; else SECURE[$1]=false; fi
}
session_ok() { # token → success while the session still signs in
  local code
  code=$(curl -sS --max-time 60 -o /dev/null -w '%{http_code}' -H "X-Scan-Target: session-check" \
    -H "Cookie: innsikt_session=$1" "$ORIGIN/account/sessions" </dev/null) || true
  [ "$code" = 200 ]
}
ensure_session() { # role → a working TOKEN[role], signing in again when needed
  if [ -n "${TOKEN[$1]:-}" ] && session_ok "${TOKEN[$1]}"; then return 0; fi
  login "$1"
  if [ -z "${TOKEN[$1]}" ] || ! session_ok "${TOKEN[$1]}"; then
    harness error "login:$1" "could not sign in as $(email_of "$1")"
    return 1
  fi
}

# ---- sqlmap ----------------------------------------------------------------------------------
SQLMAP_SECONDS=""
run_sqlmap() {
  mkdir -p "$WORK/sqlmap"
  : >"$WORK/sqlmap/runs.tsv"
  local phase_started=$SECONDS name fast auth method url body extra
  local budget=""
  [ "$SQLMAP_BUDGET" -gt 0 ] && budget=", ${SQLMAP_BUDGET} s in all"
  echo "== sqlmap $(sqlmap --version 2>/dev/null | head -n 1): level $LEVEL, risk $RISK, at most ${TARGET_TIMEOUT} s a target$budget"
  while IFS=$'\t' read -r -u 3 name fast auth method url body extra; do
    if [ -n "$ONLY" ]; then
      [[ ",$ONLY," == *",$name,"* ]] || continue
    elif [ "$MODE" = fast ] && [ "$fast" != 1 ]; then
      continue
    fi
    local limit=$TARGET_TIMEOUT
    if [ "$SQLMAP_BUDGET" -gt 0 ]; then
      local left=$((SQLMAP_BUDGET - (SECONDS - phase_started)))
      if [ "$left" -le 10 ]; then
        harness error "sqlmap:$name" "not scanned: the sqlmap time budget of ${SQLMAP_BUDGET} s was used up"
        continue
      fi
      [ "$left" -lt "$limit" ] && limit=$left
    fi
    local folder="$WORK/sqlmap/$name"
    mkdir -p "$folder"
    local headers="X-Scan-Target: sqlmap:$name"
    # --answers: never widen the tests past the chosen level/risk (risk 3 adds OR payloads
    # that can rewrite whole tables); everything else takes sqlmap's batch defaults.
    # extra: sqlmap options for this target, and "max-level=N", a cap on the level
    local level=$LEVEL more=() word
    if [ "$extra" != - ]; then
      for word in $extra; do
        if [[ "$word" == max-level=* ]]; then
          [ "${word#max-level=}" -lt "$level" ] && level=${word#max-level=}
        else
          more+=("$word")
        fi
      done
    fi
    local args=(-u "$url" --batch --dbms=PostgreSQL --level "$level" --risk "$RISK" --threads 1 --skip-waf
      --flush-session --disable-coloring --drop-set-cookie --timeout 30 --retries 2 --answers "extending=N"
      --output-dir "$folder/out")
    # the full traffic log grows to gigabytes on a full run; the app's 5xx log keeps the bodies
    [ "${SQLMAP_TRAFFIC:-0}" = 1 ] && args+=(-t "$folder/traffic.txt")
    if [ "$method" = POST ]; then
      args+=(--data "$body")
      headers="Origin: $ORIGIN\\n$headers" # the app refuses a POST without a same-origin Origin
    fi
    case "$auth" in
      manager | group | staff)
        ensure_session "$auth" || continue
        args+=(--cookie "innsikt_session=${TOKEN[$auth]}")
        ;;
      api)
        # A different token of the pool on every request: 120 requests/minute/token would
        # otherwise turn most of the scan into 429s.
        args+=(--eval "import random; _locals['auxHeaders']['Authorization'] = 'Bearer ' + random.choice(open('$WORK/tokens.txt').read().split())")
        ;;
    esac
    args+=(--headers "$headers" "${more[@]}")
    local t0=$SECONDS rc=0
    timeout -k 15 "$limit" sqlmap "${args[@]}" </dev/null >"$folder/stdout.txt" 2>&1 || rc=$?
    local took=$((SECONDS - t0)) verdict
    if grep -q "identified the following injection point" "$folder/stdout.txt"; then
      verdict="INJECTABLE"
    elif grep -q "all tested parameters do not appear to be injectable" "$folder/stdout.txt"; then
      verdict="clean"
    elif [ "$rc" = 124 ]; then
      verdict="TIMED OUT"
    else
      verdict="DID NOT FINISH (exit $rc)"
    fi
    local codes
    codes=$(grep -A1 "HTTP error codes detected during run" "$folder/stdout.txt" | tail -n 1 | sed 's/^\[.*\] //') || true
    printf '  %-24s %-7s L%s %-26s %5s s  %s\n' "$name" "$auth" "$level" "$verdict" "$took" "${codes:+HTTP $codes}"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$auth" "$method" "${url#"$ORIGIN"}" "$rc" "$took" "$level" >>"$WORK/sqlmap/runs.tsv"
    if [ "$auth" != api ] && [ "$auth" != none ]; then
      if ! session_ok "${TOKEN[$auth]}"; then
        harness error "sqlmap:$name" "the $auth session ended during this target: part of it ran signed out"
        TOKEN[$auth]=""
      fi
    fi
  done 3<"$WORK/targets.tsv"
  SQLMAP_SECONDS=$((SECONDS - phase_started))
}

# ---- wapiti ----------------------------------------------------------------------------------
WAPITI_SECONDS=""
run_wapiti() {
  mkdir -p "$WORK/wapiti"
  : >"$WORK/wapiti/runs.tsv"
  local phase_started=$SECONDS user
  echo "== wapiti $("$PY" -c 'import importlib.metadata as m; print(m.version("wapiti3"))' 2>/dev/null || echo "?"): modules $WAPITI_MODULES; as ${WAPITI_USERS[*]}"
  for user in "${WAPITI_USERS[@]}"; do
    ensure_session "$user" || continue
    # The session cookie with the flags the app set (wapiti's cookieflags module reads the
    # jar); the jar will not send a Secure cookie over http, so the Cookie header carries it.
    local cookie="$WORK/wapiti/$user-cookie.json"
    printf '{"127.0.0.1": {"/": {"innsikt_session": {"value": "%s", "expires": null, "secure": %s, "port": null, "version": 0}}}}\n' \
      "${TOKEN[$user]}" "${SECURE[$user]:-true}" >"$cookie"
    local starts=() start
    while IFS= read -r start; do starts+=(-s "$start"); done < <(state "wapitiStart.$user")
    # As staff the console lists every company (about 170 pages of one route, four forms
    # each): ten of them cover the route; all of them take wapiti many hours.
    local limits=()
    [ "$user" = staff ] && [ "$MODE" != fast ] && limits=(--max-files-per-dir 10)
    local t0=$SECONDS rc=0
    # -x: POST /logout would end the session; /language only sets a cookie and redirects.
    timeout -k 30 "$WAPITI_TIMEOUT" "$PY" "$HERE/wapiti.py" -u "$ORIGIN/" --scope folder \
      -c "$cookie" -H "Cookie: innsikt_session=${TOKEN[$user]}" -H "Origin: $ORIGIN" -H "X-Scan-Target: wapiti:$user" \
      -x "$ORIGIN/logout*" -x "$ORIGIN/language*" "${starts[@]}" \
      -m "$WAPITI_MODULES" "${WAPITI_LIMITS[@]}" "${limits[@]}" \
      --external-endpoint "$CANARY" --internal-endpoint "$CANARY" \
      -f json -o "$WORK/wapiti/$user.json" --flush-session \
      --store-session "$WORK/wapiti/session-$user" --store-config "$WORK/wapiti/config" \
      --no-bugreport -t 30 -v 1 </dev/null >"$WORK/wapiti/$user.out" 2>&1 || rc=$?
    local took=$((SECONDS - t0)) crawled
    crawled=$(sed -n 's/.*Wapiti found \([0-9]*\) URLs and forms.*/\1/p' "$WORK/wapiti/$user.out" | tail -n 1)
    printf '  as %-8s %5s s  %s URLs and forms, exit %s\n' "$user" "$took" "${crawled:-?}" "$rc"
    printf '%s\t%s\t%s\n' "$user" "$rc" "$took" >>"$WORK/wapiti/runs.tsv"
    if ! session_ok "${TOKEN[$user]}"; then
      harness error "wapiti:$user" "the $user session ended during the scan: part of it ran signed out"
      TOKEN[$user]=""
    fi
  done
  WAPITI_SECONDS=$((SECONDS - phase_started))
}

# ---- open redirects --------------------------------------------------------------------------
# Every known open-redirect form as login's redirectTo must land on this site (both modes).
# It signs in as the /login target's account, before sqlmap's failures fill its throttle.
run_redirects() {
  echo "== open redirects: POST /login with each form of tests/support/open-redirect-corpus.ts"
  local rc=0
  node --import tsx "$HERE/open-redirect.ts" --origin "$ORIGIN" --email "$(email_of login)" --password "$PASSWORD" \
    --out "$WORK/redirects.tsv" </dev/null >"$WORK/redirects.out" 2>&1 || rc=$?
  tail -n 1 "$WORK/redirects.out" | sed 's/^/  /'
  # exit 1 is judged from redirects.tsv by report.py; anything else means the check did not run
  [ "$rc" -le 1 ] || harness error "open-redirect" "the check did not run (exit $rc): $(tail -n 3 "$WORK/redirects.out" | tr '\n' ' ')"
}
run_redirects

# sqlmap first: wapiti's crawler submits every form it finds (revoking tokens and, as staff,
# memberships), which would pull the ground from under the targeted scans.
[ "$RUN_SQLMAP" = 1 ] && run_sqlmap
[ "$RUN_WAPITI" = 1 ] && run_wapiti
stop_server

cat >"$WORK/run.json" <<EOF
{"mode": "$MODE", "origin": "$ORIGIN", "database": "$(state database)", "level": "$LEVEL", "risk": "$RISK",
 "wapiti_modules": "$( [ "$RUN_WAPITI" = 1 ] && echo "$WAPITI_MODULES" || echo "not run")",
 "seconds": $((SECONDS - STARTED)), "setup_seconds": $SETUP_SECONDS,
 "sqlmap_seconds": "${SQLMAP_SECONDS:--}", "wapiti_seconds": "${WAPITI_SECONDS:--}"}
EOF
status=0
"$PY" "$HERE/report.py" "$WORK" || status=$?
exit "$status"
