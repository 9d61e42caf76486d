"""What a town holds about one porteur (RGPD article 20), from their follow-up page: their
demand, its history as they see it, the proposals made to them, their applications to
calls and the emails sent to them. Read from the current town only, and only what is
tied to their demand or their address."""

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from tenant_apps.calls.models import Application
from tenant_apps.correspondence.enums import Direction
from tenant_apps.mailing.models import OutboundEmail
from tenants.models import Territory

# The demand as the porteur described it, and where it stands: (field, label).
DEMAND_FIELDS = [
    "reference",
    "created_at",
    "status",
    "outcome",
    "activity",
    "naf_code",
    "activity_category",
    "description",
    "stage",
    "siret",
    "opening_date",
    "premises_kind",
    "surface_min",
    "surface_max",
    "monthly_budget",
    "purchase_budget",
    "lease_kinds",
    "needs_shop_window",
    "needs_step_free_access",
    "other_needs",
    "support",
    "heard_from",
    "consent_to_share",
]


def shown(obj, name):
    """A field's value as a person reads it: the label of a choice, not its code."""
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if field.choices and value not in (None, ""):
        return str(getattr(obj, f"get_{name}_display")())
    base = getattr(field, "base_field", None)
    if base is not None and base.choices:
        labels = dict(base.choices)
        return [str(labels.get(item, item)) for item in value]
    return value


def labelled(obj, names):
    return [
        {
            "field": name,
            "label": str(obj._meta.get_field(name).verbose_name),
            "value": shown(obj, name),
        }
        for name in names
    ]


def applications_of(demand):
    email = demand.applicant.email
    return (
        Application.objects.filter(Q(demand=demand) | Q(email__iexact=email))
        .select_related("call")
        .order_by("created_at", "pk")
    )


def emails_to(demand):
    return OutboundEmail.objects.filter(
        to__iexact=demand.applicant.email, sent_at__isnull=False
    ).order_by("sent_at", "pk")


def porteur_data(demand):
    """Everything the porteur of `demand` may take away, as a dict ready for JSON."""
    applicant = demand.applicant
    town = Territory.objects.current()
    return {
        "collectivite": town.name,
        "exporte_le": timezone.now(),
        "porteur": {
            "prenom": applicant.first_name,
            "nom": applicant.last_name,
            "courriel": applicant.email,
            "telephone": applicant.phone,
        },
        "demande": {item["field"]: item["value"] for item in labelled(demand, DEMAND_FIELDS)}
        | {"quartiers": [area.name for area in demand.areas.all()]},
        "historique": [
            {
                "le": event.created_at,
                "evenement": event.get_kind_display(),
                "statut": event.get_to_status_display() if event.to_status else "",
                "detail": event.message,
            }
            for event in demand.events.filter(visible_to_applicant=True)
        ],
        "propositions": [
            {
                "le": proposal.created_at,
                "local": proposal.premises.address,
                "type": proposal.premises.get_kind_display(),
                "surface_m2": proposal.premises.surface,
                "loyer_mensuel": proposal.premises.monthly_rent,
                "propose_par": proposal.proposer_name,
                "message": proposal.message,
                "reponse": proposal.answer_label,
                "commentaire": proposal.comment,
                "disponibilites_visite": proposal.visit_availability,
                "personnes_visite": proposal.visit_attendees,
                "repondue_le": proposal.answered_at,
            }
            for proposal in demand.proposals.select_related("premises", "partner").order_by(
                "created_at", "pk"
            )
        ],
        "candidatures": [
            {
                "appel": application.call.title,
                "le": application.created_at,
                "nom": application.name,
                "courriel": application.email,
                "telephone": application.phone,
                "projet": application.project,
                "experience": application.experience,
                "motivation": application.motivation,
                "dossier": application.plan_file_name,
                "decision": application.get_decision_display(),
                "motif": application.decision_reason,
            }
            for application in applications_of(demand)
        ],
        "courriels_recus": [
            {"le": email.sent_at, "objet": email.subject, "texte": email.body}
            for email in emails_to(demand)
        ],
        "messages_envoyes": [
            {
                "le": message.created_at,
                "objet": message.subject,
                "texte": message.body,
                "pieces_jointes": [a.file_name for a in message.attachments.all()],
            }
            for message in demand.correspondence.filter(direction=Direction.IN)
            .prefetch_related("attachments")
            .order_by("created_at", "pk")
        ],
    }


def porteur_pdf(demand):
    """The same data as a readable PDF (WeasyPrint, as the communication kit)."""
    from weasyprint import HTML

    from tenant_apps.kit.documents import font_url

    html = render_to_string(
        "portability/porteur_data.html",
        {
            "data": porteur_data(demand),
            "demand_fields": labelled(demand, DEMAND_FIELDS),
            "demand": demand,
            "font_regular": font_url("Marianne-Regular.woff"),
            "font_bold": font_url("Marianne-Bold.woff"),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
