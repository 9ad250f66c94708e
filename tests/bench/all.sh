#!/usr/bin/env bash
# npm run bench: every benchmark at a small size, one after another, each printing its
# figures; exit status 1 when any of them failed. It starts nothing itself: bench:import and
# bench:pages run on the embedded PGlite (and import on DATABASE_URL's server too when set),
# bench:load needs DATABASE_URL and is skipped with a line saying so when it is unset (in CI,
# CI=true, that counts as a failure). Extra arguments are ignored; run a single benchmark
# with its own script (npm run bench:pages -- …) for the full sizes.
set -uo pipefail
cd "$(dirname "$0")/../.."

# bench:pages and bench:load serve the Remix build in build/: build it so it is current.
echo "== remix build =="
NODE_ENV=production npx remix build >/dev/null || { echo "remix build failed"; exit 2; }

results=()
failed=0
bench() {
  local name=$1
  shift
  echo
  echo "== npm run $name -- $* =="
  local start=$SECONDS
  npm run --silent "$name" -- "$@"
  local status=$?
  results+=("$name: $([ "$status" = 0 ] && echo passed || echo "FAILED (exit status $status)") in $((SECONDS - start)) s")
  [ "$status" = 0 ] || failed=1
}

bench bench:import --rows 500 --runs 1
# At --scale 1 a page's SQL is a fraction of what it is at --scale 10 while its rendering costs
# the same, so the time budget (3× the SQL at --scale 10) is 5× here; the statements check,
# the statuses and the plans are as strict as ever.
bench bench:pages --scale 1 --companies 5 --requests 200 --warmup 10 --plan-companies 2 --budget 5
# The company reports of 10 demo companies through the job queue, /healthz's p95 beside them.
bench bench:reports --companies 10
# Lighthouse on Debian's Chromium, one run per page and preset (the scores, not a pass/fail).
bench bench:lighthouse --runs 1
if [ -n "${DATABASE_URL:-}" ]; then
  bench bench:load --scale 1 --companies 5 --rate 20 --duration 10 --warmup 3
else
  echo
  echo "== npm run bench:load: SKIPPED, it needs DATABASE_URL (a PostgreSQL server; see docs/operations.md) =="
  if [ -n "${CI:-}" ] && [ "$CI" != 0 ] && [ "$CI" != false ]; then
    results+=("bench:load: FAILED (CI is set but DATABASE_URL is not)")
    failed=1
  else
    results+=("bench:load: SKIPPED (DATABASE_URL unset)")
  fi
fi

echo
echo "== npm run bench =="
printf '%s\n' "${results[@]}"
exit $failed
