"""Restoring a town's archive (archive.py) into an empty space of the same town.

Rows keep their ids; team members and people named in the rows are found again by their
address (created, without a password, if they no longer exist), partners by their id
(written back if they were deleted). Rows are saved raw, as fixtures are: no signal
sends an email or queues a job for what only comes back."""

import json
import zipfile
from pathlib import Path, PurePosixPath

from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, transaction
from django_tenants.utils import schema_context, schema_exists

from shared_apps.accounts.models import Membership, User
from tenant_apps.portability.archive import (
    FORMAT_VERSION,
    private_root,
    public_references,
    town_models,
)
from tenants.provisioning import create_schema_from_snapshot, current_snapshot


class RestoreError(Exception):
    """Why an archive cannot be restored; its message is for people."""


def member_path(name, prefix, root):
    """Where the archive's member `name` (under `prefix`) goes under `root`; refuses a
    name that would leave it."""
    relative = PurePosixPath(name.removeprefix(prefix))
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise RestoreError(f"Nom de fichier refusé dans l’archive : {name}")
    return Path(root, *relative.parts)


def read_manifest(archive, town):
    try:
        manifest = json.loads(archive.read("manifeste.json"))
    except KeyError:
        raise RestoreError(
            "Ce fichier n’est pas une archive BoursOloco (manifeste absent)."
        ) from None
    if manifest.get("format") != FORMAT_VERSION:
        raise RestoreError(f"Format d’archive inconnu : {manifest.get('format')!r}.")
    if manifest["town"]["slug"] != town.slug:
        raise RestoreError(
            f"Cette archive est celle de « {manifest['town']['name']} », "
            f"pas de « {town.name} » : elle ne se restaure que dans la même collectivité."
        )
    return manifest


def users_by_old_id(archive):
    """{id in the archive: id now} for every person the archive names."""
    mapping = {}
    for person in json.loads(archive.read("public/accounts.user.json")):
        user = User.objects.filter(pk=person["id"], email__iexact=person["email"]).first()
        user = user or User.objects.filter(email__iexact=person["email"]).first()
        if user is None:
            user = User.objects.create_user(
                person["email"],
                first_name=person["first_name"],
                last_name=person["last_name"],
            )
        mapping[person["id"]] = user.pk
    return mapping


def restore_public(archive, town, users):
    """Partners (and any other public row the town's rows point at) missing now, then
    the team."""
    for name in sorted(archive.namelist()):
        if not name.startswith("public/") or name.startswith("public/accounts."):
            continue
        for item in serializers.deserialize("json", archive.read(name)):
            model = type(item.object)
            if not model._base_manager.filter(pk=item.object.pk).exists():
                item.save()
    for member in json.loads(archive.read("public/accounts.membership.json")):
        Membership.objects.get_or_create(
            user_id=users[member["user"]],
            territory=town,
            defaults={"role": member["role"], "is_active": member["is_active"]},
        )


def restore_rows(archive, users):
    """Every town model's rows; the count restored per model."""
    names = set(archive.namelist())
    counts = {}
    for model in town_models():
        name = f"donnees/{model._meta.label_lower}.json"
        if name not in names:
            continue
        people = [
            model._meta.get_field(field)
            for field, related in public_references(model).items()
            if related is User
        ]
        count = 0
        for item in serializers.deserialize("json", archive.read(name)):
            obj = item.object
            for field in people:
                if field.many_to_many:
                    linked = item.m2m_data[field.name]
                    item.m2m_data[field.name] = [users.get(pk, pk) for pk in linked]
                elif (value := getattr(obj, field.attname)) is not None:
                    setattr(obj, field.attname, users.get(value, value))
            # Raw, as a fixture: receivers leave it alone (no job, no email).
            obj.save_base(raw=True, force_insert=True)
            for field_name, pks in item.m2m_data.items():
                link_rows(model._meta.get_field(field_name), obj.pk, pks)
            count += 1
        counts[model._meta.label_lower] = count
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), town_models()):
            cursor.execute(statement)
    return counts


def link_rows(field, pk, targets):
    """A many-to-many's rows, written as they were (no m2m_changed: no job queued)."""
    through = field.remote_field.through
    source, target = field.m2m_column_name(), field.m2m_reverse_name()
    through._base_manager.bulk_create([through(**{source: pk, target: other}) for other in targets])


def restore_files(archive):
    """Uploads back into the town's media storage, private files into its private
    folder; the count written."""
    written = 0
    media_root = Path(default_storage.path(""))
    for name in archive.namelist():
        if name.startswith("fichiers/media/"):
            path = member_path(name, "fichiers/media/", media_root)
        elif name.startswith("fichiers/prive/"):
            path = member_path(name, "fichiers/prive/", private_root())
        else:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(name) as source, open(path, "wb") as target:
            for block in iter(lambda: source.read(1 << 20), b""):
                target.write(block)
        written += 1
    return written


# What a new town is given as it is created (the ready email templates): an empty space
# holds these, and the archive brings the town's own.
GIVEN_AT_CREATION = {"correspondence.readytemplates", "correspondence.emailtemplate"}


def empty_the_space():
    """Clear what a new town is given; refuse a space holding anything else."""
    filled = [model for model in town_models() if model._base_manager.exists()]
    kept = [m._meta.label_lower for m in filled if m._meta.label_lower not in GIVEN_AT_CREATION]
    if kept:
        raise RestoreError(
            "L’espace de la collectivité n’est pas vide ("
            + ", ".join(kept)
            + ") : la restauration ne remplace pas des données existantes."
        )
    for model in filled:
        model._base_manager.all().delete()


def restore_town_archive(file, town):
    """Restore `file` (a path or binary file) into `town`'s space, which must be empty (or
    have no schema any more: it is created). Returns {model: rows} and the files count."""
    with zipfile.ZipFile(file) as archive:
        read_manifest(archive, town)
        if not schema_exists(town.schema_name):
            with transaction.atomic():
                create_schema_from_snapshot(town.schema_name, current_snapshot())
        with schema_context(town.schema_name):
            with transaction.atomic():
                empty_the_space()
                users = users_by_old_id(archive)
                restore_public(archive, town, users)
                counts = restore_rows(archive, users)
            files = restore_files(archive)
    return counts, files
