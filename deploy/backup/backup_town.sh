#!/usr/bin/env bash
# Back up ONE town: its schema (pg_dump -Fc), its rows of the public tables
# tenants_territory and tenants_domain (CSV), and its media folder MEDIA_ROOT/<schema>/.
#
# usage: backup_town.sh <slug|schema> [destination-directory]
#   backup_town.sh saint-lary-soulan        -> schema town_saint_lary_soulan
#   default destination: $BACKUP_DIR/towns/<schema>/<date-time>/
#
# DATABASE_URL and MEDIA_ROOT come from the environment, else from the env file
# ($BOURSOLOCO_ENV, default /etc/boursoloco/boursoloco.env). Run as boursoloco:
#   sudo -u boursoloco deploy/backup/backup_town.sh saint-lary-soulan
set -euo pipefail
umask 077  # backups hold personal data

die() { echo "backup_town: $*" >&2; exit 1; }
[[ $# -ge 1 && $# -le 2 ]] || die "usage: $0 <slug|schema> [destination-directory]"

# Slugs have no underscores and schemas no dashes, so the argument is unambiguous.
if [[ $1 =~ ^town_[a-z0-9_]+$ ]]; then
    schema=$1
elif [[ $1 =~ ^[a-z][a-z0-9-]{1,40}[a-z0-9]$ ]]; then
    schema="town_${1//-/_}"
else
    die "not a town slug or schema name: $1"
fi

if [[ -z ${DATABASE_URL:-} ]]; then
    set -a
    # shellcheck source=/dev/null
    . "${BOURSOLOCO_ENV:-/etc/boursoloco/boursoloco.env}"
    set +a
fi
: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${MEDIA_ROOT:?MEDIA_ROOT is not set}"

psql_() { psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 "$@"; }

found=$(psql_ -At -c "SELECT count(*) FROM pg_namespace WHERE nspname = '$schema'")
[[ $found == 1 ]] || die "schema $schema does not exist"

dest=${2:-${BACKUP_DIR:-/var/backups/boursoloco}/towns/$schema/$(date +%Y%m%d-%H%M%S)}
[[ ! -e $dest || -z $(ls -A "$dest") ]] || die "$dest exists and is not empty"
mkdir -p "$dest"
trap 'echo "backup_town: failed, removing $dest" >&2; rm -rf "$dest"' ERR

echo "$schema" > "$dest/schema.txt"
pg_dump --dbname="$DATABASE_URL" --schema="$schema" --format=custom --file="$dest/schema.dump"

# COPY ... TO STDOUT through psql is what \copy does: the file is written client-side.
psql_ -c "COPY (SELECT * FROM public.tenants_territory WHERE schema_name = '$schema')
          TO STDOUT WITH (FORMAT csv, HEADER)" > "$dest/territory.csv"
psql_ -c "COPY (SELECT d.* FROM public.tenants_domain d
                JOIN public.tenants_territory t ON t.id = d.tenant_id
                WHERE t.schema_name = '$schema' ORDER BY d.id)
          TO STDOUT WITH (FORMAT csv, HEADER)" > "$dest/domain.csv"
[[ $(wc -l < "$dest/territory.csv") -ge 2 ]] \
    || echo "backup_town: warning: no tenants_territory row for $schema" >&2

if [[ -d $MEDIA_ROOT/$schema ]]; then
    tar -C "$MEDIA_ROOT" -czf "$dest/media.tar.gz" "$schema"
else
    echo "backup_town: no media folder $MEDIA_ROOT/$schema" >&2
fi

trap - ERR
echo "$dest"
