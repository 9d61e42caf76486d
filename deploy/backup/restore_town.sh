#!/usr/bin/env bash
# Restore ONE town from a directory written by backup_town.sh, into the same database.
#
# usage: restore_town.sh <backup-directory> [--force] [--with-public-rows]
#   --force             the schema exists: drop it and replace it (in the same transaction
#                       as the restore, so a failed restore leaves it untouched)
#   --with-public-rows  the town's tenants_territory row is gone (the town was deleted):
#                       insert it and its tenants_domain rows back from the CSV files
#
# Afterwards run `deploy/bin/manage migrate_schemas` (a backup taken before an upgrade
# is behind the code's migrations) and check the town in the browser.
# DATABASE_URL and MEDIA_ROOT: as for backup_town.sh. Run as boursoloco.
set -euo pipefail

die() { echo "restore_town: $*" >&2; exit 1; }
usage="usage: $0 <backup-directory> [--force] [--with-public-rows]"
dir="" force=0 public_rows=0
for arg in "$@"; do
    case $arg in
        --force) force=1 ;;
        --with-public-rows) public_rows=1 ;;
        -*) die "$usage" ;;
        *) [[ -z $dir ]] || die "$usage"; dir=$arg ;;
    esac
done
[[ -n $dir ]] || die "$usage"
[[ -f $dir/schema.txt && -f $dir/schema.dump ]] || die "$dir is not a backup_town.sh backup"
dir=$(cd "$dir" && pwd)
[[ $dir != *"'"* ]] || die "the backup path must not contain a quote: $dir"
schema=$(< "$dir/schema.txt")
[[ $schema =~ ^town_[a-z0-9_]+$ ]] || die "bad schema name in $dir/schema.txt: $schema"

if [[ -z ${DATABASE_URL:-} ]]; then
    set -a
    # shellcheck source=/dev/null
    . "${BOURSOLOCO_ENV:-/etc/boursoloco/boursoloco.env}"
    set +a
fi
: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${MEDIA_ROOT:?MEDIA_ROOT is not set}"

psql_() { PGOPTIONS="-c client_min_messages=warning" psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 "$@"; }

exists=$(psql_ -At -c "SELECT count(*) FROM pg_namespace WHERE nspname = '$schema'")
if [[ $exists == 1 && $force == 0 ]]; then
    die "schema $schema already exists; --force drops and replaces it"
fi
has_row=$(psql_ -At -c "SELECT count(*) FROM public.tenants_territory WHERE schema_name = '$schema'")
if [[ $public_rows == 1 && $has_row != 0 ]]; then
    die "tenants_territory already has a row for $schema; drop --with-public-rows"
fi

# One transaction: drop the old schema, recreate it from the dump (pg_restore writes the
# SQL, psql runs it), and put back the public rows if asked.
if ! {
    echo "DROP SCHEMA IF EXISTS \"$schema\" CASCADE;"
    pg_restore --no-owner --no-privileges --file=- "$dir/schema.dump"
    if [[ $public_rows == 1 ]]; then
        # Column lists come from the CSV headers: still right if columns were added since.
        echo "\\copy public.tenants_territory ($(head -n1 "$dir/territory.csv")) FROM '$dir/territory.csv' WITH (FORMAT csv, HEADER)"
        echo "\\copy public.tenants_domain ($(head -n1 "$dir/domain.csv")) FROM '$dir/domain.csv' WITH (FORMAT csv, HEADER)"
    fi
} | psql_ --single-transaction > /dev/null; then  # errors still go to stderr
    die "restore failed and was rolled back: the database is unchanged. A failing foreign
key to a public table (e.g. accounts_user) means those rows are gone too: restore them
from the nightly full dump first."
fi
echo "restore_town: schema $schema restored"

if [[ -f $dir/media.tar.gz ]]; then
    if [[ -d $MEDIA_ROOT/$schema ]]; then
        mkdir -p "$MEDIA_ROOT/.replaced"
        aside=$(mktemp -d "$MEDIA_ROOT/.replaced/$schema-$(date +%Y%m%d-%H%M%S)-XXXX")
        mv "$MEDIA_ROOT/$schema" "$aside/"
        echo "restore_town: previous media moved to $aside"
    fi
    tar -C "$MEDIA_ROOT" -xzf "$dir/media.tar.gz"
    echo "restore_town: media restored to $MEDIA_ROOT/$schema"
fi

if [[ $has_row == 0 && $public_rows == 0 ]]; then
    cat >&2 <<MSG
restore_town: WARNING: public.tenants_territory has no row for $schema, so no host
reaches this town. If the town was deleted, rerun with --force --with-public-rows (inserts
$dir/territory.csv and domain.csv). Staff memberships and other public rows pointing at
the town are not in this backup: take them from the nightly full dump if needed.
MSG
fi
echo "restore_town: now run: deploy/bin/manage migrate_schemas"
