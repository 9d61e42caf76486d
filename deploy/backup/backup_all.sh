#!/usr/bin/env bash
# Nightly full backup: pg_dump -Fc of the whole database (public schema and every town)
# and a tar of MEDIA_ROOT, into $BACKUP_DIR/full/, keeping $BACKUP_RETENTION_DAYS days.
# Run by boursoloco-backup.timer; by hand: sudo -u boursoloco deploy/backup/backup_all.sh
#
# Restore everything into an empty database:
#   pg_restore --dbname="$DATABASE_URL" --no-owner --jobs=4 boursoloco-<stamp>.dump
# One town out of it: pg_restore --schema=town_xxx ... (or use backup_town.sh / restore_town.sh).
set -euo pipefail
umask 077  # backups hold personal data

if [[ -z ${DATABASE_URL:-} ]]; then
    set -a
    # shellcheck source=/dev/null
    . "${BOURSOLOCO_ENV:-/etc/boursoloco/boursoloco.env}"
    set +a
fi
: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${MEDIA_ROOT:?MEDIA_ROOT is not set}"
dir=${BACKUP_DIR:-/var/backups/boursoloco}/full
keep=${BACKUP_RETENTION_DAYS:-14}
stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$dir"

# Written under a temporary name, renamed once complete: a file named *.dump is whole.
pg_dump --dbname="$DATABASE_URL" --format=custom --file="$dir/boursoloco-$stamp.dump.partial"
mv "$dir/boursoloco-$stamp.dump.partial" "$dir/boursoloco-$stamp.dump"

if [[ ${BACKUP_MEDIA:-yes} == yes && -d $MEDIA_ROOT ]]; then
    tar -C "$MEDIA_ROOT" --exclude=./.replaced -czf "$dir/media-$stamp.tar.gz.partial" .
    mv "$dir/media-$stamp.tar.gz.partial" "$dir/media-$stamp.tar.gz"
fi

# Retention, only reached when tonight's backup succeeded.
find "$dir" -maxdepth 1 -type f \( -name 'boursoloco-*.dump' -o -name 'media-*.tar.gz' \) \
    -mtime +"$keep" -delete
find "$dir" -maxdepth 1 -type f -name '*.partial' -mtime +1 -delete
echo "backup_all: $dir/boursoloco-$stamp.dump"
