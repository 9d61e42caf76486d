"""The API of a town's host, /api/v1/: demands and their events, premises (read and
write), proposals, the town's partner network, the dashboard's figures.

Each route names its scope; personal data (the porteur's identity and words, a private
owner's name) is sent only to a token that also holds personal:read, null otherwise."""

import dataclasses
import json
from datetime import date, datetime

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.encoding import filepath_to_uri
from ninja import Status

from shared_apps.api import schemas
from shared_apps.api.auth import TokenAuth, sees_personal_data
from shared_apps.api.base import new_api
from shared_apps.api.enums import Scope
from shared_apps.api.pagination import DEFAULT_LIMIT, paginate, since_filter
from shared_apps.api.problems import ApiProblem
from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.models import Demand
from tenant_apps.impact.kpis import Period, dashboard
from tenant_apps.network.models import NetworkMember
from tenant_apps.premises.forms import PremisesForm
from tenant_apps.premises.models import Premises, PremisesPhoto
from tenant_apps.proposals.models import Proposal

api = new_api(
    title="BoursOloco — API d’une collectivité",
    description="Les demandes, leur historique, les locaux, les propositions, le réseau de "
    "partenaires et les chiffres du tableau de bord d’une collectivité. Jeton : "
    "`Authorization: Bearer <jeton>`, créé par un administrateur dans Réglages → API. "
    "Listes paginées par curseur (`next_cursor`), filtre `updated_since`, ETag et "
    "If-None-Match ; erreurs au format application/problem+json (RFC 9457).",
    namespace="api",
)


# Demands -------------------------------------------------------------------------------


def demand_out(demand, personal):
    applicant = demand.applicant
    return {
        **{
            name: getattr(demand, name)
            for name in (
                "reference",
                "status",
                "outcome",
                "activity",
                "naf_code",
                "activity_category",
                "stage",
                "opening_date",
                "premises_kind",
                "surface_min",
                "surface_max",
                "monthly_budget",
                "purchase_budget",
                "lease_kinds",
                "needs_shop_window",
                "needs_step_free_access",
                "support",
                "heard_from",
                "consent_to_share",
                "tags",
                "priority",
                "next_action_on",
                "created_at",
                "updated_at",
                "status_changed_at",
                "first_contact_at",
            )
        },
        "area_ids": [area.pk for area in demand.areas.all()],
        "erased": demand.erased_at is not None,
        "applicant": {
            "first_name": applicant.first_name,
            "last_name": applicant.last_name,
            "email": applicant.email,
            "phone": applicant.phone,
        }
        if personal
        else None,
        "siret": demand.siret if personal else None,
        "description": demand.description if personal else None,
        "other_needs": demand.other_needs if personal else None,
    }


def demand_for(reference):
    return get_object_or_404(Demand.objects.select_related("applicant"), reference=reference)


@api.get(
    "/demands/",
    response=schemas.DemandPage,
    auth=TokenAuth(Scope.DEMANDS_READ),
    url_name="demands",
    summary="Les demandes",
)
def list_demands(
    request,
    cursor: str = "",
    limit: int = DEFAULT_LIMIT,
    updated_since: datetime | None = None,
    status: str = "",
):
    """Les demandes, de la moins récemment modifiée à la plus récente ; `updated_since`
    ne garde que celles modifiées depuis (ISO 8601)."""
    demands = (
        Demand.objects.filter(since_filter(updated_since, "updated_at"))
        .select_related("applicant")
        .prefetch_related("areas")
    )
    if status:
        demands = demands.filter(status=status)
    rows, next_cursor = paginate(demands, cursor=cursor, limit=limit, by_time="updated_at")
    personal = sees_personal_data(request)
    return {"items": [demand_out(row, personal) for row in rows], "next_cursor": next_cursor}


@api.get(
    "/demands/{reference}/",
    response=schemas.Demand,
    auth=TokenAuth(Scope.DEMANDS_READ),
    url_name="demand",
    summary="Une demande",
)
def get_demand(request, reference: str):
    return demand_out(demand_for(reference), sees_personal_data(request))


@api.get(
    "/demands/{reference}/events/",
    response=schemas.EventPage,
    auth=TokenAuth(Scope.DEMANDS_READ),
    url_name="demand_events",
    summary="L’historique d’une demande",
)
def list_events(
    request,
    reference: str,
    cursor: str = "",
    limit: int = DEFAULT_LIMIT,
    updated_since: datetime | None = None,
):
    demand = demand_for(reference)
    events = demand.events.filter(since_filter(updated_since, "created_at"))
    rows, next_cursor = paginate(events, cursor=cursor, limit=limit)
    personal = sees_personal_data(request)
    labels = dict(EventKind.choices)
    items = [
        {
            "id": event.pk,
            "kind": event.kind,
            "label": labels.get(event.kind, event.kind),
            "from_status": event.from_status,
            "to_status": event.to_status,
            "visible_to_applicant": event.visible_to_applicant,
            "created_at": event.created_at,
            "message": event.message if personal else None,
            "actor": event.actor if personal else None,
        }
        for event in rows
    ]
    return {"items": items, "next_cursor": next_cursor}


# Premises ------------------------------------------------------------------------------


PREMISES_FIELDS = (
    "id",
    "address",
    "area_id",
    "kind",
    "surface",
    "monthly_rent",
    "sale_price",
    "lease_kind",
    "state",
    "state_changed_at",
    "vacant_since",
    "available_from",
    "managing_partner_id",
    "has_shop_window",
    "step_free_access",
    "description",
    "is_published",
    "latitude",
    "longitude",
    "created_at",
    "updated_at",
    "owner_name",
)


def premises_rows(request, rows):
    """`rows` (dicts of PREMISES_FIELDS) as the API sends them: with their photos (one
    query for the page) and without the owner unless the token may read personal data.
    Plain values, no model instances: a page of 200 costs what a page of 10 does, in
    queries, and little more in time."""
    photos = {}
    found = PremisesPhoto.objects.filter(premises_id__in=[row["id"] for row in rows])
    media = request.tenant.url(default_storage.url(""))
    for premises_id, image, caption in found.order_by("created_at", "id").values_list(
        "premises_id", "image", "caption"
    ):
        photos.setdefault(premises_id, []).append(
            {"url": media + filepath_to_uri(image), "caption": caption}
        )
    personal = sees_personal_data(request)
    for row in rows:
        row["photos"] = photos.get(row["id"], [])
        if not personal:
            row["owner_name"] = None
    return rows


def json_response(data):
    """An answer built here, already in the shape of its schema (test_lists.py checks
    each against it): ninja's per-item validation would cost more than the query."""
    return HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False),
        content_type="application/json",
    )


@api.get(
    "/premises/",
    response=schemas.PremisesPage,
    auth=TokenAuth(Scope.PREMISES_READ),
    url_name="premises",
    summary="Les locaux",
)
def list_premises(
    request,
    cursor: str = "",
    limit: int = DEFAULT_LIMIT,
    updated_since: datetime | None = None,
    state: str = "",
):
    premises = Premises.objects.filter(since_filter(updated_since, "updated_at"))
    if state:
        premises = premises.filter(state=state)
    rows, next_cursor = paginate(
        premises.values(*PREMISES_FIELDS), cursor=cursor, limit=limit, by_time="updated_at"
    )
    return json_response({"items": premises_rows(request, rows), "next_cursor": next_cursor})


def premises_detail(request, premises_id):
    row = Premises.objects.filter(pk=premises_id).values(*PREMISES_FIELDS).first()
    if row is None:
        raise Http404
    return premises_rows(request, [row])[0]


@api.get(
    "/premises/{premises_id}/",
    response=schemas.Premises,
    auth=TokenAuth(Scope.PREMISES_READ),
    url_name="premises_detail",
    summary="Un local",
)
def get_premises(request, premises_id: int):
    return premises_detail(request, premises_id)


# The API's names of the form's fields, where they differ.
FORM_NAMES = {"area_id": "area", "managing_partner_id": "managing_partner"}
API_NAMES = {form: field for field, form in FORM_NAMES.items()}


def save_premises(request, payload, premises=None):
    """Write through the back-office's PremisesForm: the same checks, the same French
    messages, the same history and matches; 422 with each field's message otherwise."""
    sent = payload.dict(exclude_unset=True)
    data = {"state": "vacant"}
    if premises is not None:
        current = model_to_dict(premises, fields=PremisesForm._meta.fields)
        data = {name: value for name, value in current.items() if value is not None}
    for name, value in sent.items():
        data[FORM_NAMES.get(name, name)] = value
    # A checkbox is sent when ticked only.
    for name in ("has_shop_window", "step_free_access", "is_published"):
        if not data.get(name):
            data.pop(name, None)
    data = {name: "" if value is None else value for name, value in data.items()}
    form = PremisesForm(data, instance=premises, managers=NetworkMember.objects.active().partners())
    if not form.is_valid():
        errors = [
            {"field": API_NAMES.get(name, name), "detail": str(message)}
            for name, messages in form.errors.items()
            for message in messages
        ]
        detail = " ; ".join(f"{error['field']} : {error['detail']}" for error in errors)
        raise ApiProblem(422, f"Données invalides — {detail}", errors=errors)
    with transaction.atomic():
        saved = form.save(user=None, refresh=False)
        saved.refresh_matches()
    return premises_detail(request, saved.pk)


@api.post(
    "/premises/",
    response={201: schemas.Premises},
    auth=TokenAuth(Scope.PREMISES_WRITE),
    url_name="premises_create",
    summary="Créer un local",
)
def create_premises(request, payload: schemas.PremisesIn):
    return Status(201, save_premises(request, payload))


@api.patch(
    "/premises/{premises_id}/",
    response=schemas.Premises,
    auth=TokenAuth(Scope.PREMISES_WRITE),
    url_name="premises_update",
    summary="Modifier un local",
)
def update_premises(request, premises_id: int, payload: schemas.PremisesIn):
    """Seuls les champs envoyés changent."""
    return save_premises(request, payload, get_object_or_404(Premises, pk=premises_id))


# Proposals and partners ------------------------------------------------------------------


@api.get(
    "/proposals/",
    response=schemas.ProposalPage,
    auth=TokenAuth(Scope.PROPOSALS_READ),
    url_name="proposals",
    summary="Les propositions de locaux",
)
def list_proposals(
    request,
    cursor: str = "",
    limit: int = DEFAULT_LIMIT,
    updated_since: datetime | None = None,
):
    """Par ordre de création ; `updated_since` garde celles créées ou répondues depuis."""
    proposals = Proposal.objects.filter(
        since_filter(updated_since, "created_at", "answered_at")
    ).select_related("demand")
    rows, next_cursor = paginate(proposals, cursor=cursor, limit=limit)
    personal = sees_personal_data(request)
    items = [
        {
            "id": row.pk,
            "demand_reference": row.demand.reference,
            "premises_id": row.premises_id,
            "origin": row.origin,
            "partner_id": row.partner_id,
            "answer": row.answer,
            "reason": row.reason,
            "created_at": row.created_at,
            "answered_at": row.answered_at,
            "comment": row.comment if personal else None,
            "visit_availability": row.visit_availability if personal else None,
            "visit_attendees": row.visit_attendees if personal else None,
        }
        for row in rows
    ]
    return {"items": items, "next_cursor": next_cursor}


@api.get(
    "/partners/",
    response=schemas.PartnerPage,
    auth=TokenAuth(Scope.PARTNERS_READ),
    url_name="partners",
    summary="Le réseau de partenaires",
)
def list_partners(request, cursor: str = "", limit: int = DEFAULT_LIMIT, status: str = ""):
    """Les partenaires du réseau de la collectivité (organisations : aucune personne)."""
    members = NetworkMember.objects.filter(partner__is_hidden=False).select_related("partner")
    if status:
        members = members.filter(status=status)
    rows, next_cursor = paginate(members, cursor=cursor, limit=limit)
    items = [
        {
            "id": row.partner.pk,
            "name": row.partner.name,
            "kind": row.partner.kind,
            "siret": row.partner.siret,
            "address": row.partner.address,
            "postcode": row.partner.postcode,
            "city": row.partner.city,
            "website": row.partner.website,
            "status": row.status,
            "joined_at": row.created_at,
        }
        for row in rows
    ]
    return {"items": items, "next_cursor": next_cursor}


# The dashboard -------------------------------------------------------------------------


def plain(value):
    """The dashboard's dataclasses as JSON-ready values."""
    if dataclasses.is_dataclass(value):
        return {
            field.name: plain(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


@api.get(
    "/dashboard/",
    response=dict,
    auth=TokenAuth(Scope.DASHBOARD_READ),
    url_name="dashboard",
    summary="Les chiffres du tableau de bord",
)
def get_dashboard(request, start: date | None = None, end: date | None = None):
    """Les chiffres du tableau de bord sur une période (par défaut les 12 derniers mois),
    tels que l’équipe les lit dans /gestion/tableau-de-bord/."""
    default = Period.last_months(12)
    period = Period(start or default.start, end or timezone.localdate())
    if period.start > period.end:
        raise ApiProblem(
            422,
            "Le début de la période doit précéder sa fin.",
            errors=[{"field": "start", "detail": "Le début doit précéder la fin."}],
        )
    if (period.end - period.start).days > 3660:
        raise ApiProblem(
            422, "Dix ans au plus.", errors=[{"field": "start", "detail": "Dix ans au plus."}]
        )
    return plain(dashboard(period))
