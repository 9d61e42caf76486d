"""Submitting a demand: the demand, its history and its emails, in one transaction."""

from django.db import transaction
from django.utils import timezone

from shared_apps.accounts.enums import Role
from shared_apps.accounts.models import Membership
from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.models import Applicant, Demand, ReferenceCounter
from tenant_apps.mailing.services import queue_email

DEMAND_FIELDS = {
    "projet": [
        "activity",
        "activity_category",
        "description",
        "stage",
        "siret",
        "opening_date",
    ],
    "local": [
        "premises_kind",
        "surface_min",
        "surface_max",
        "monthly_budget",
        "purchase_budget",
        "lease_kinds",
        "needs_shop_window",
        "needs_step_free_access",
        "other_needs",
    ],
    "accompagnement": ["support"],
    "contact": ["heard_from", "consent_to_share"],
}
APPLICANT_FIELDS = ["first_name", "last_name", "email", "phone"]


def demand_values(forms):
    values = {}
    for slug, names in DEMAND_FIELDS.items():
        form = forms.get(slug)
        if form is None:
            continue
        values.update(
            {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}
        )
    values["naf_code"] = forms["projet"].naf_code
    for name in ("siret", "description", "other_needs", "heard_from"):
        if values.get(name) is None:
            values[name] = ""
    return values


@transaction.atomic
def submit_demand(territory, town_settings, forms):
    """Save the porteur's demand (or update the same one sent within a day) and queue
    the emails. Returns (demand, created)."""
    contact = forms["contact"].cleaned_data
    values = demand_values(forms)
    areas = forms["local"].cleaned_data.get("areas")
    duplicate = Demand.objects.recent_duplicate_of(contact["email"], values["activity"])
    if duplicate:
        duplicate = Demand.objects.select_for_update().get(pk=duplicate.pk)

    if duplicate:
        demand = duplicate
        for name, value in values.items():
            setattr(demand, name, value)
        demand.applicant_seen_at = timezone.now()
        demand.save()
        applicant = demand.applicant
        for name in APPLICANT_FIELDS:
            setattr(applicant, name, contact[name])
        applicant.save()
        event = demand.record(EventKind.RESUBMITTED)
    else:
        applicant = Applicant.objects.create(**{name: contact[name] for name in APPLICANT_FIELDS})
        now = timezone.now()
        demand = Demand.objects.create(
            reference=ReferenceCounter.next_reference(territory.reference_prefix, now.year),
            applicant=applicant,
            created_at=now,
            status_changed_at=now,
            applicant_seen_at=now,
            **values,
        )
        event = demand.record(EventKind.SUBMITTED)
    if areas is not None:
        demand.areas.set(areas)

    context = {
        "territory": territory,
        "demand": demand,
        "applicant": applicant,
        "updated": bool(duplicate),
        "followup_url": territory.url(demand.followup_path()),
        "privacy_url": territory.url("/donnees-personnelles/"),
        "contact_email": town_settings.contact_email,
    }
    queue_email(
        f"demand:{demand.pk}:event:{event.pk}:porteur",
        applicant.email,
        "demands/emails/confirmation.txt",
        context,
    )
    if not duplicate and town_settings.notify_team_on_new_demand:
        for member in team_to_notify(territory):
            queue_email(
                f"demand:{demand.pk}:new:{member.user_id}",
                member.user.email,
                "demands/emails/team_new_demand.txt",
                {**context, "backoffice_url": territory.url("/gestion/demandes/")},
            )
    return demand, not duplicate


def team_to_notify(territory):
    return (
        Membership.objects.active()
        .filter(territory=territory, role__in=[Role.ADMIN, Role.AGENT], user__is_active=True)
        .select_related("user")
    )


def send_new_links(territory, email):
    """Revoke the old follow-up links of this address's demands and email new ones.
    Says nothing about whether the address is known."""
    demands = Demand.objects.not_erased().filter(applicant__email__iexact=email.strip())
    for demand in demands.select_related("applicant"):
        demand.revoke_links()
        event = demand.record(EventKind.LINK_SENT)
        queue_email(
            f"demand:{demand.pk}:event:{event.pk}:link",
            demand.applicant.email,
            "demands/emails/new_link.txt",
            {
                "territory": territory,
                "demand": demand,
                "followup_url": territory.url(demand.followup_path()),
                "privacy_url": territory.url("/donnees-personnelles/"),
            },
        )
