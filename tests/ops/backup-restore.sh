#!/usr/bin/env bash
# Backup and restore drill (docs/operations.md, "Backups"): pg_dump -Fc of DATABASE_URL,
# pg_restore into a fresh database on the same server, then compare, table by table, the
# exact row count, row-level security (enabled/forced), the number of policies and the
# grants to innsikt_tenant, and every sequence's position. Prints the table of counts and
# `backup-restore: OK (N tables, M rows)`, or the differences and exits 1.
#
#   DATABASE_URL=postgres://innsikt@db/innsikt tests/ops/backup-restore.sh      # a seeded / live database
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres tests/ops/backup-restore.sh --scratch
#
# Options:
#   --scratch       create a scratch source database <prefix>_src on DATABASE_URL's server,
#                   load demo data into it (npm run db:seed), drill on it, drop it afterwards
#   --seed          load demo data into DATABASE_URL's own database first (it must be empty
#                   and local: `npm run db:seed` refuses anything else)
#   --scale N       demo study years for --seed/--scratch (default 1: one year, 4 200 inquiries)
#   --prefix NAME   name prefix of the scratch databases (default innsikt_bkp_<pid>_<random>);
#                   the restored copy is <prefix>_restored, always dropped at the end
#   --keep-dump F   also keep the dump as file F
#
# Needs: psql, pg_dump, pg_restore of the server's major version (found in PG_BIN, in
# /usr/lib/postgresql/<major>/bin or on PATH), and a DATABASE_URL user that may CREATE
# DATABASE and reads every row (superuser, or the owner the migrations ran as: the
# *_owner_access policies give it all rows under FORCE ROW LEVEL SECURITY). The role
# innsikt_tenant is cluster-wide, so the restored grants to it apply on the same server.
# The counts and the dump come from one snapshot, so a live database compares exactly.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "backup-restore: FAILED: $*" >&2; exit 1; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seed=0 scratch=0 scale=1 prefix="innsikt_bkp_$$_${RANDOM}" keep_dump=""
while (($#)); do
  case $1 in
    --seed) seed=1 ;;
    --scratch) scratch=1 seed=1 ;;
    --scale) scale=${2:?--scale needs a number}; shift ;;
    --prefix) prefix=${2:?--prefix needs a name}; shift ;;
    --keep-dump) keep_dump=${2:?--keep-dump needs a file}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
[[ $prefix =~ ^[a-z_][a-z0-9_]{0,49}$ ]] || die "--prefix must be a lower-case identifier of at most 50 characters"
[[ -n ${DATABASE_URL:-} ]] || die "DATABASE_URL is not set (source: eval \"\$(bash .ci/pg-start.sh DIR)\", or source /tmp/devpg.env)"

# --- URLs -----------------------------------------------------------------------------------
# The same server, another database; libpq refuses postgres.js-only parameters (prepare=).
url_with_db() {
  local url=$1 db=$2 base query="" rest
  base=${url%%\?*}
  [[ $url == *\?* ]] && query="?${url#*\?}"
  rest=${base#*://}
  printf '%s://%s/%s%s' "${base%%://*}" "${rest%%/*}" "$db" "$query"
}
db_of_url() {
  local base=${1%%\?*} rest
  rest=${base#*://}
  [[ $rest == */* ]] && printf '%s' "${rest#*/}" || printf ''
}
libpq_url() { sed -E 's/([?&])prepare=[^&]*(&|$)/\1/; s/[?&]$//' <<<"$1"; }

admin_url=$(libpq_url "$DATABASE_URL")
restored_db="${prefix}_restored"
if ((scratch)); then
  source_db="${prefix}_src"
  source_app_url=$(url_with_db "$DATABASE_URL" "$source_db")
else
  source_db=$(db_of_url "$DATABASE_URL")
  source_app_url=$DATABASE_URL
fi
source_url=$(libpq_url "$source_app_url")
restored_url=$(url_with_db "$admin_url" "$restored_db")

# --- PostgreSQL client tools of the server's major version ----------------------------------
candidates=()
[[ -n ${PG_BIN:-} ]] && candidates+=("$PG_BIN")
while IFS= read -r dir; do candidates+=("$dir"); done < <(printf '%s\n' /usr/lib/postgresql/*/bin | grep -v '\*' | sort -V -r)
for tool in psql pg_dump; do
  found=$(command -v "$tool" 2>/dev/null || true)
  [[ -n $found ]] && candidates+=("$(dirname "$found")")
done
major_of() { "$1" --version 2>/dev/null | sed -nE 's/^[^0-9]* ([0-9]+).*/\1/p' | head -1; }
probe=""
for dir in "${candidates[@]}"; do [[ -x $dir/psql ]] && { probe=$dir/psql; break; }; done
[[ -n $probe ]] || die "no psql found (set PG_BIN, or apt-get install postgresql-client-15)"
server_num=$("$probe" -X -At -d "$admin_url" -c 'show server_version_num') || die "cannot connect to DATABASE_URL's server"
server_major=$((server_num / 10000))
bin=""
for dir in "/usr/lib/postgresql/$server_major/bin" "${candidates[@]}"; do
  [[ -x $dir/psql && -x $dir/pg_dump && -x $dir/pg_restore ]] || continue
  dump_major=$(major_of "$dir/pg_dump")
  if [[ -n $dump_major ]] && ((dump_major >= server_major)); then bin=$dir; break; fi
done
[[ -n $bin ]] || die "no pg_dump/pg_restore of version >= $server_major found (set PG_BIN)"
psql=("$bin/psql" -X -q -At -v ON_ERROR_STOP=1)

# --- Scratch state, cleaned up whatever happens ---------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/innsikt-backup.XXXXXX")
snapshot_pid=""
cleanup() {
  local status=$?
  if [[ -n $snapshot_pid ]]; then kill "$snapshot_pid" 2>/dev/null || true; fi
  "${psql[@]}" -d "$admin_url" -c "drop database if exists \"$restored_db\" with (force)" >/dev/null 2>&1 || true
  if ((scratch)); then "${psql[@]}" -d "$admin_url" -c "drop database if exists \"$source_db\" with (force)" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
trap 'exit 130' INT TERM

now() { printf '%s' "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f s", b - a }'; }

# --- Source ----------------------------------------------------------------------------------
if ((scratch)); then
  "${psql[@]}" -d "$admin_url" -c "create database \"$source_db\"" || die "cannot create the scratch database $source_db (the user needs CREATEDB)"
fi
if ((seed)); then
  started=$(now)
  if ! (cd "$root" && DATABASE_URL=$source_app_url npm run --silent db:seed -- --scale "$scale") >"$work/seed.log" 2>&1; then
    cat "$work/seed.log" >&2
    die "npm run db:seed failed on $source_db"
  fi
  echo "backup-restore: seeded $source_db with $scale demo year(s) in $(since "$started")"
fi

"${psql[@]}" -d "$admin_url" -c "select 1 from pg_roles where rolname = 'innsikt_tenant'" | grep -q 1 ||
  die "the role innsikt_tenant does not exist on this server: has $source_db been migrated?"

# The dump must hold every row: refuse a user that row-level security would filter silently.
filtered=$("${psql[@]}" -d "$source_url" <<'SQL'
select string_agg(c.relname, ', ' order by c.relname)
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relrowsecurity
  and not exists (select 1 from pg_roles where rolname = current_user and (rolsuper or rolbypassrls))
  and not (c.relowner = (select oid from pg_roles where rolname = current_user) and not c.relforcerowsecurity)
  and not exists (
    select 1 from pg_policy p
    where p.polrelid = c.oid and p.polpermissive and p.polcmd in ('*', 'r')
      and pg_get_expr(p.polqual, p.polrelid) = 'true'
      and (p.polroles @> '{0}'::oid[]
           or exists (select 1 from unnest(p.polroles) as r(oid) where r.oid <> 0 and pg_has_role(current_user, r.oid, 'USAGE'))));
SQL
)
[[ -z $filtered ]] || die "row-level security would hide rows of $filtered from this user: run as a superuser or as the owner the migrations ran as"

# One line per table (T), sequence (S) and database-level grant (D), identical on both sides
# when the restore is complete. Row counts are exact (count(*) through query_to_xml).
summary_sql=$(cat <<'SQL'
with tenant_role as (select oid from pg_roles where rolname = 'innsikt_tenant')
select 'T', format('%I.%I', n.nspname, c.relname),
  (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %I.%I', n.nspname, c.relname), false, true, '')))[1]::text,
  case when c.relrowsecurity then 'on' else 'off' end || '/' || case when c.relforcerowsecurity then 'on' else 'off' end,
  (select count(*) from pg_policy p where p.polrelid = c.oid)::text,
  concat_ws(' ',
    (select string_agg(x.privilege_type, ',' order by x.privilege_type) from aclexplode(c.relacl) x, tenant_role r where x.grantee = r.oid),
    (select string_agg(a.attname || ':' || x.privilege_type, ',' order by a.attname, x.privilege_type)
       from pg_attribute a cross join lateral aclexplode(a.attacl) x, tenant_role r
       where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and x.grantee = r.oid))
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname in ('public', 'drizzle') and c.relkind in ('r', 'p')
union all
select 'S', format('%I.%I', schemaname, sequencename), coalesce(last_value::text, 'unused'), '', '', ''
from pg_sequences where schemaname in ('public', 'drizzle')
union all
select 'D', 'innsikt_tenant USAGE on schema public', has_schema_privilege('innsikt_tenant', 'public', 'USAGE')::text, '', '', ''
order by 1, 2;
select '__end__';
SQL
)

# --- Dump (in a snapshot the source summary is read from as well) ---------------------------
mkfifo "$work/to-psql"
"${psql[@]}" -F '|' -d "$source_url" <"$work/to-psql" >"$work/from-psql" 2>"$work/snapshot.err" &
snapshot_pid=$!
exec 3>"$work/to-psql"
printf '%s\n' "begin isolation level repeatable read, read only;" "select pg_export_snapshot();" >&3
snapshot=""
for _ in $(seq 1 300); do
  snapshot=$(head -1 "$work/from-psql" 2>/dev/null || true)
  [[ -n $snapshot ]] && break
  kill -0 "$snapshot_pid" 2>/dev/null || die "could not open a snapshot on $source_db: $(cat "$work/snapshot.err")"
  sleep 0.1
done
[[ -n $snapshot ]] || die "no snapshot from $source_db within 30 s"

dump=$work/innsikt.dump
started=$(now)
# --enable-row-security: the owner of FORCE-RLS tables is refused a dump without it (pg_dump
# would otherwise demand that RLS not apply); with it the *_owner_access policies pass every row.
"$bin/pg_dump" -Fc --enable-row-security --snapshot="$snapshot" -f "$dump" -d "$source_url" 2>"$work/dump.err" ||
  die "pg_dump failed: $(cat "$work/dump.err")"
dump_time=$(since "$started")
dump_size=$(du -h "$dump" | cut -f1)

printf '%s\n' "$summary_sql" >&3
for _ in $(seq 1 1200); do
  grep -qx '__end__' "$work/from-psql" && break
  kill -0 "$snapshot_pid" 2>/dev/null || die "reading the source failed: $(cat "$work/snapshot.err")"
  sleep 0.1
done
grep -qx '__end__' "$work/from-psql" || die "reading the source took longer than 120 s"
printf '%s\n' "commit;" >&3
exec 3>&-
wait "$snapshot_pid" || die "the source session ended badly: $(cat "$work/snapshot.err")"
snapshot_pid=""
sed '1d; /^__end__$/d' "$work/from-psql" >"$work/source.txt"
[[ -n $keep_dump ]] && cp "$dump" "$keep_dump"

# --- Restore into a fresh database -----------------------------------------------------------
"${psql[@]}" -d "$admin_url" -c "drop database if exists \"$restored_db\" with (force)" -c "create database \"$restored_db\" template template0" ||
  die "cannot create $restored_db (the user needs CREATEDB)"
started=$(now)
# --enable-row-security here too: a parallel restore may FORCE row-level security on a table
# before the foreign keys that point at it are validated, and as the non-superuser owner that
# validation is refused with row_security=off. The owner's policies let every row through.
"$bin/pg_restore" --exit-on-error --enable-row-security --jobs=2 -d "$restored_url" "$dump" 2>"$work/restore.err" || die "pg_restore failed: $(cat "$work/restore.err")"
restore_time=$(since "$started")
{ printf '%s\n' "$summary_sql" | "${psql[@]}" -F '|' -d "$restored_url"; } 2>"$work/restored.err" | sed '/^__end__$/d' >"$work/restored.txt" ||
  die "reading the restored copy failed: $(cat "$work/restored.err")"

# --- Compare ---------------------------------------------------------------------------------
echo "backup-restore: $source_db (PostgreSQL $server_major, tools $bin): dump $dump_size in $dump_time, restore in $restore_time"
awk -F'|' '
  FNR == NR { src[$1 "|" $2] = $0; order[++n] = $1 "|" $2; next }
  { dst[$1 "|" $2] = $0; if (!($1 "|" $2 in src)) order[++n] = $1 "|" $2 }
  END {
    printf "%-42s %10s %10s  %-9s %8s  %s\n", "table", "source", "restored", "rls/force", "policies", "grants to innsikt_tenant"
    bad = 0; tables = 0; rows = 0
    # tables first, then sequences, then database-level grants
    m = 0
    for (pass = 1; pass <= 3; pass++) for (i = 1; i <= n; i++) if (substr(order[i], 1, 1) == substr("TSD", pass, 1)) sorted[++m] = order[i]
    for (i = 1; i <= m; i++) {
      k = sorted[i]
      hs = (k in src); hd = (k in dst)
      s = hs ? src[k] : ""; d = hd ? dst[k] : ""
      split(k, key, "|"); kind = key[1]; name = key[2]
      split(s, a, "|"); split(d, b, "|")
      if (!hs) a[3] = "missing"
      if (!hd) b[3] = "missing"
      same = hs && hd && s == d
      mark = same ? "" : "   <-- differs"
      if (!same) { bad++; diffs = diffs sprintf("  %s\n    source:   %s\n    restored: %s\n", name, hs ? s : "(none)", hd ? d : "(none)") }
      if (kind == "T") {
        tables++; rows += a[3]
        printf "%-42s %10s %10s  %-9s %8s  %s%s\n", name, a[3], b[3], a[4], a[5], a[6], mark
      } else if (kind == "S") {
        printf "%-42s %10s %10s  (sequence last value)%s\n", name, a[3], b[3], mark
      } else {
        printf "%-42s %10s %10s%s\n", name, a[3], b[3], mark
      }
    }
    if (tables == 0) { print "backup-restore: FAILED: the source has no tables"; exit 1 }
    if (bad > 0) { printf "differences:\n%s", diffs; printf "backup-restore: FAILED (%d differences in %d tables)\n", bad, tables; exit 1 }
    printf "backup-restore: OK (%d tables, %d rows)\n", tables, rows
  }
' "$work/source.txt" "$work/restored.txt"
