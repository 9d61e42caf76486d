"""CSV import of premises: every valid line is created, every other line is reported
with its number, its content and the reasons in French."""

import csv
import io
import time
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction

from shared_apps.partners.models import Partner
from tenant_apps.demands.enums import LeaseKind
from tenant_apps.premises.enums import PremisesKind, PremisesState
from tenant_apps.premises.forms import PremisesForm
from tenant_apps.premises.matching import recompute_all
from tenant_apps.premises.models import Area, Premises
from tenants.jobs import enqueue_for_town

MAX_LINES = 5000
MAX_GEOCODED = 100  # beyond, the remaining premises are placed by hand later
# Geocoding stops after this many seconds in one import, however many lines remain: a slow
# geocoder must not make the request outlive the server's timeout.
GEOCODING_BUDGET_SECONDS = 20

# CSV header (accents, case and spaces ignored) → form field.
COLUMNS = {
    "adresse": "address",
    "quartier": "area",
    "type": "kind",
    "type_de_local": "kind",
    "surface": "surface",
    "surface_m2": "surface",
    "loyer": "monthly_rent",
    "loyer_mensuel": "monthly_rent",
    "prix": "sale_price",
    "prix_de_vente": "sale_price",
    "bail": "lease_kind",
    "etat": "state",
    "disponible": "available_from",
    "disponible_le": "available_from",
    "vitrine": "has_shop_window",
    "plain_pied": "step_free_access",
    "acces_de_plain_pied": "step_free_access",
    "gestionnaire": "managing_partner",
    "partenaire": "managing_partner",
    "proprietaire": "owner_name",
    "description": "description",
    "latitude": "latitude",
    "longitude": "longitude",
}
REQUIRED = {"address", "kind", "surface"}
TRUE = {"oui", "o", "vrai", "1", "x", "yes", "true"}
FALSE = {"non", "n", "faux", "0", "no", "false", ""}
TEMPLATE_HEADER = (
    "adresse;quartier;type;surface;loyer;prix;bail;etat;disponible;vitrine;plain_pied;"
    "gestionnaire;proprietaire;latitude;longitude;description"
)


def simplify(text):
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return "_".join(text.lower().replace("(", " ").replace(")", " ").replace("²", "2").split())


def choice_lookup(choices):
    """Codes and French labels (simplified) → code."""
    lookup = {}
    for value, label in choices:
        lookup[simplify(value)] = value
        lookup[simplify(label)] = value
    return lookup


KINDS = choice_lookup(PremisesKind.choices)
STATES = choice_lookup(PremisesState.choices)
LEASES = choice_lookup(LeaseKind.choices)


class LineForm(PremisesForm):
    """One CSV line. Its area and partner come already resolved from the file's lookups:
    the form's own choice fields would fetch them again, one query per line each."""

    def __init__(self, data, *, area=None, partner=None):
        super().__init__(data)
        del self.fields["area"], self.fields["managing_partner"]
        self.instance.area, self.instance.managing_partner = area, partner


@dataclass
class Rejected:
    line: int
    content: str
    reasons: list


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    rejected: list = field(default_factory=list)
    unlocated: int = 0
    error: str = ""

    @property
    def ok(self):
        return not self.error


def decode(raw):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def read_rows(raw):
    text = decode(raw).replace("\r\n", "\n").replace("\r", "\n")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter)), delimiter


def import_premises(raw, *, user=None, managers=None):
    """Import the CSV bytes `raw`; returns an ImportReport. A line's manager is one of
    `managers` (the town's network, given by the caller), named as in the directory."""
    report = ImportReport()
    try:
        rows, delimiter = read_rows(raw)
    except csv.Error as error:
        report.error = f"Le fichier n’est pas un CSV lisible ({error})."
        return report
    if not rows:
        report.error = "Le fichier est vide."
        return report
    header = [COLUMNS.get(simplify(name)) for name in rows[0]]
    missing = REQUIRED - set(header)
    if missing:
        names = {"address": "adresse", "kind": "type", "surface": "surface"}
        report.error = (
            "Colonnes obligatoires absentes : "
            + ", ".join(sorted(names[name] for name in missing))
            + f". La première ligne doit nommer les colonnes, par exemple : {TEMPLATE_HEADER}"
        )
        return report
    if len(rows) - 1 > MAX_LINES:
        report.error = f"{MAX_LINES} lignes au plus par import : découpez le fichier."
        return report
    areas = {simplify(area.name): area for area in Area.objects.all()}
    managers = Partner.objects.none() if managers is None else managers
    partners = {simplify(p.name): p for p in managers.only("pk", "name")}
    seen = {simplify(a) for a in Premises.objects.values_list("address", flat=True)}
    geocoded, deadline = 0, time.monotonic() + GEOCODING_BUDGET_SECONDS
    with transaction.atomic():
        for number, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            content = delimiter.join(row)[:500]
            data, reasons = line_data(header, row, areas, partners)
            address_key = simplify(data.get("address", ""))
            if address_key and address_key in seen:
                reasons.append("un local est déjà enregistré à cette adresse")
            if reasons:
                report.rejected.append(Rejected(number, content, reasons))
                continue
            form = LineForm(
                data, area=data.pop("area", None), partner=data.pop("managing_partner", None)
            )
            if not form.is_valid():
                report.rejected.append(Rejected(number, content, form_reasons(form)))
                continue
            form.geocode = (
                geocoded < MAX_GEOCODED and time.monotonic() < deadline and not data.get("latitude")
            )
            premises = form.save(user=user, refresh=False)
            if form.geocode:
                geocoded += 1
            if not premises.is_located:
                report.unlocated += 1
            seen.add(address_key)
            report.created.append(premises)
        if report.created:  # the town's matches, once the premises are committed
            enqueue_for_town(recompute_all)
    return report


def line_data(header, row, areas, partners):
    """The form data of one CSV line (its area and partner as objects), and the reasons
    it cannot be read."""
    data, reasons = {"state": PremisesState.VACANT}, []
    if len(row) > len(header):
        extra = [cell for cell in row[len(header) :] if cell.strip()]
        if extra:
            reasons.append(f"{len(row)} colonnes au lieu de {len(header)}")
    for name, cell in zip(header, row, strict=False):
        if name is None:
            continue
        value = cell.strip()
        if name == "kind":
            data[name] = KINDS.get(simplify(value), value)
            if value and simplify(value) not in KINDS:
                reasons.append(f"type de local inconnu : « {value[:40]} »")
        elif name == "state":
            data[name] = STATES.get(simplify(value), value) if value else PremisesState.VACANT
            if value and simplify(value) not in STATES:
                reasons.append(f"état inconnu : « {value[:40]} »")
        elif name == "lease_kind":
            data[name] = LEASES.get(simplify(value), value) if value else ""
            if value and simplify(value) not in LEASES:
                reasons.append(f"bail inconnu : « {value[:40]} »")
        elif name == "area":
            if value and simplify(value) not in areas:
                reasons.append(f"quartier inconnu : « {value[:40]} »")
            data[name] = areas.get(simplify(value))
        elif name == "managing_partner":
            if value and simplify(value) not in partners:
                reasons.append(
                    f"partenaire inconnu du réseau de la collectivité : « {value[:60]} »"
                )
            data[name] = partners.get(simplify(value))
        elif name in ("has_shop_window", "step_free_access"):
            if simplify(value) in TRUE:
                data[name] = "on"
            elif simplify(value) not in FALSE:
                reasons.append(f"« {value[:20]} » : répondez oui ou non")
        elif name in ("monthly_rent", "sale_price", "surface"):
            data[name] = value.replace(" ", "").replace("\u00a0", "").replace("€", "")
        elif name in ("latitude", "longitude"):
            data[name] = value.replace(",", ".")
        else:
            data[name] = value
    return data, reasons


def form_reasons(form):
    reasons = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            reasons.append(f"{label.lower()} : {error}" if label else error)
    return reasons
