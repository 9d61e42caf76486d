"""A town's whole archive, as a ZIP: every row of every town model (walked generically, so
a model added later is in it without a change here), the files they point at, the town's
private files, and the public rows the town owns or points at (its team, its partners).

The ANCT console's closure export (shared_apps.national.closing) and the admins' own
download (tasks.build_archive) write the same archive; restore.py reads it back.

Layout:
  LISEZMOI.txt, manifeste.json
  demandes.csv, porteurs.csv, historique.csv, locaux.csv, quartiers.csv   (to read)
  donnees/<app>.<model>.json     every row, in Django's serialisation (to restore)
  public/<app>.<model>.json      team, users (name and address only), partners
  fichiers/media/<path>          photos and other uploads, as stored
  fichiers/prive/<kind>/<name>   received attachments, business plans
"""

import csv
import datetime
import io
import json
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

from tenant_apps.backoffice.exports import safe as spreadsheet_safe
from tenants.models import Territory

FORMAT_VERSION = 1
CHUNK = 500
# Private folders of derived files, never archived: earlier archives and spreadsheets.
SKIPPED_PRIVATE = {"archives", "exports"}
# Of a user, the archive keeps who they are, never their password or sessions.
USER_FIELDS = ["id", "email", "first_name", "last_name"]
README = """Archive des données de {name} sur BoursOloco ({date}).

- demandes.csv, porteurs.csv, historique.csv, locaux.csv, quartiers.csv : les principales
  données, à ouvrir dans un tableur (séparateur « ; », encodage UTF-8).
- donnees/ : toutes les données de l’espace, une table par fichier JSON.
- public/ : l’équipe (membres et rôles), les partenaires du réseau et ceux cités.
- fichiers/ : les photos des locaux, les pièces jointes reçues, les dossiers de candidature.

Cette archive contient des données personnelles : conservez-la en lieu sûr.
Elle peut être restaurée dans un espace vide de la même collectivité
(commande « manage.py restore_town »).
"""


def town_models():
    """Every concrete model of the town's apps (TENANT_APPS), in a stable order."""
    found = []
    for config in apps.get_app_configs():
        if config.name in settings.TENANT_APPS:
            found += [m for m in config.get_models() if m._meta.managed and not m._meta.proxy]
    return found


def is_town_model(model):
    return model._meta.app_config.name in settings.TENANT_APPS


def public_references(model):
    """The fields of `model` pointing at a public model: {field name: public model}."""
    return {
        field.name: field.related_model
        for field in model._meta.get_fields()
        if (field.many_to_one or field.one_to_one or field.many_to_many)
        and field.concrete
        and not is_town_model(field.related_model)
    }


def file_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def private_root():
    return Path(settings.PRIVATE_ROOT) / connection.schema_name


def private_files():
    """The town's private files worth keeping, as (path, name in the archive)."""
    root = private_root()
    if not root.is_dir():
        return []
    return [
        (path, f"fichiers/prive/{path.relative_to(root).as_posix()}")
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.relative_to(root).parts[0] not in SKIPPED_PRIVATE
    ]


def rows_csv(queryset, fields):
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(fields)
    for row in queryset.values_list(*fields):
        # What porteurs and staff typed must not run as a formula in a spreadsheet.
        writer.writerow([spreadsheet_safe("" if value is None else value) for value in row])
    return out.getvalue()


def readable_tables():
    """The spreadsheets a person opens first (the closure export's, kept as they were)."""
    from tenant_apps.demands.models import Applicant, Demand, DemandEvent
    from tenant_apps.premises.models import Area, Premises

    return {
        "demandes.csv": (
            Demand.all_objects.order_by("created_at"),
            [
                "reference",
                "created_at",
                "status",
                "activity",
                "naf_code",
                "activity_category",
                "stage",
                "premises_kind",
                "surface_min",
                "surface_max",
                "monthly_budget",
                "purchase_budget",
                "consent_to_share",
                "applicant_id",
                "erased_at",
            ],
        ),
        "porteurs.csv": (
            Applicant.objects.order_by("pk"),
            ["id", "first_name", "last_name", "email", "phone", "created_at"],
        ),
        "historique.csv": (
            DemandEvent.objects.order_by("created_at"),
            [
                "demand__reference",
                "created_at",
                "kind",
                "from_status",
                "to_status",
                "actor",
                "message",
            ],
        ),
        "locaux.csv": (
            Premises.objects.order_by("pk"),
            [
                "id",
                "address",
                "area__name",
                "kind",
                "surface",
                "monthly_rent",
                "sale_price",
                "state",
                "vacant_since",
            ],
        ),
        "quartiers.csv": (Area.objects.order_by("name"), ["name", "description", "is_priority"]),
    }


class Encoder(DjangoJSONEncoder):
    """Django's, but times to the microsecond (it cuts them to the millisecond): restored
    rows must be the same rows."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def write_json_array(archive, name, items):
    """Stream `items` (dicts) into the archive as one JSON array."""
    with archive.open(name, "w", force_zip64=True) as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8")
        out.write("[")
        for index, item in enumerate(items):
            out.write(",\n" if index else "\n")
            json.dump(item, out, cls=Encoder, ensure_ascii=False)
        out.write("\n]\n")
        out.flush()
        out.detach()


class Builder:
    """Writes the current town's archive into `archive` (a zipfile.ZipFile), calling
    `progress(done, total)` as it goes."""

    def __init__(self, archive, progress=None):
        self.archive = archive
        self.progress = progress or (lambda done, total: None)
        self.models = town_models()
        self.private = private_files()
        self.counts = {m._meta.label_lower: m._base_manager.count() for m in self.models}
        self.total = sum(self.counts.values()) + len(self.private)
        self.done = 0
        self.media = []  # (field file, name in the archive)
        self.referenced = {}  # public model -> set of pks

    def step(self, count):
        self.done += count
        self.progress(self.done, self.total)

    def build(self):
        town = Territory.objects.current()
        for model in self.models:
            write_json_array(
                self.archive, f"donnees/{model._meta.label_lower}.json", self.rows(model)
            )
        for name, (queryset, fields) in readable_tables().items():
            self.archive.writestr(name, rows_csv(queryset, fields))
        self.write_public(town)
        files = self.write_files()
        self.archive.writestr(
            "manifeste.json",
            json.dumps(
                {
                    "format": FORMAT_VERSION,
                    "town": {"slug": town.slug, "name": town.name, "schema": town.schema_name},
                    "created_at": timezone.now().isoformat(),
                    "models": self.counts,
                    "files": files,
                },
                ensure_ascii=False,
                indent=2,
            ),
        )
        self.archive.writestr(
            "LISEZMOI.txt",
            README.format(name=town.name, date=timezone.localdate().strftime("%d/%m/%Y")),
        )

    def rows(self, model):
        """Every row of `model` (base manager: erased and merged demands too), serialised,
        noting the public rows and the files they point at."""
        m2m = [f.name for f in model._meta.many_to_many]
        public = public_references(model)
        with_files = file_fields(model)
        queryset = model._base_manager.order_by("pk").prefetch_related(*m2m)
        chunk = []
        for obj in queryset.iterator(chunk_size=CHUNK):
            chunk.append(obj)
            if len(chunk) == CHUNK:
                yield from self.serialise(chunk, public, with_files)
                chunk = []
        if chunk:
            yield from self.serialise(chunk, public, with_files)

    def serialise(self, objects, public, with_files):
        for obj in objects:
            for field in with_files:
                stored = getattr(obj, field.attname)
                if stored:
                    self.media.append((getattr(obj, field.name), f"fichiers/media/{stored}"))
        items = serializers.serialize("python", objects)
        for item in items:
            for name, related in public.items():
                value = item["fields"].get(name)
                if value:
                    pks = self.referenced.setdefault(related, set())
                    pks.update(value if isinstance(value, list) else [value])
        self.step(len(objects))
        return items

    def write_public(self, town):
        from shared_apps.accounts.models import User

        team = list(town.memberships.select_related("user").order_by("pk"))
        write_json_array(
            self.archive,
            "public/accounts.membership.json",
            (
                {
                    "id": m.pk,
                    "user": m.user_id,
                    "email": m.user.email,
                    "role": m.role,
                    "is_active": m.is_active,
                    "created_at": m.created_at,
                }
                for m in team
            ),
        )
        users = self.referenced.pop(User, set()) | {m.user_id for m in team}
        write_json_array(
            self.archive,
            "public/accounts.user.json",
            User.objects.filter(pk__in=users).order_by("pk").values(*USER_FIELDS),
        )
        for model, pks in sorted(self.referenced.items(), key=lambda item: item[0]._meta.label):
            write_json_array(
                self.archive,
                f"public/{model._meta.label_lower}.json",
                serializers.serialize(
                    "python", model._base_manager.filter(pk__in=pks).order_by("pk")
                ),
            )

    def write_files(self):
        """Uploads (read through their storage) and private files; the count written. A
        file the disk lost is left out, the rest goes on."""
        written = 0
        for field_file, name in self.media:
            try:
                with (
                    field_file.open("rb") as source,
                    self.archive.open(name, "w", force_zip64=True) as target,
                ):
                    for block in iter(lambda: source.read(1 << 20), b""):
                        target.write(block)
                written += 1
            except FileNotFoundError:
                continue
        for path, name in self.private:
            try:
                self.archive.write(path, name)
                written += 1
            except FileNotFoundError:
                pass
            self.step(1)
        return written


def write_town_archive(file, progress=None):
    """Write the current town's archive into `file` (binary, seekable)."""
    with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        Builder(archive, progress).build()
