"""What the porteur's follow-up page shows of their proposals: {% load proposals %}
{% porteur_proposals demand as shown %} (in proposals/followup_proposals.html)."""

from django import template
from django.conf import settings

from tenant_apps.proposals.forms import AnswerForm

register = template.Library()

PHOTOS_SHOWN = 3


@register.simple_tag
def porteur_proposals(demand):
    """{"items": [{proposal, premises, photos, form, answerable}], "map": {...}}: the
    premises put to the porteur or asked for, newest first, public fields only."""
    proposals = list(
        demand.proposals.select_related("premises__area", "partner").prefetch_related(
            "premises__photos"
        )
    )
    items = [
        {
            "proposal": proposal,
            "premises": proposal.premises,
            "photos": list(proposal.premises.photos.all())[:PHOTOS_SHOWN],
            "form": AnswerForm(prefix=f"p{proposal.pk}"),
            "answerable": demand.is_alive and proposal.premises.is_available,
        }
        for proposal in proposals
    ]
    return {"items": items, "map": porteur_map(proposals)}


def porteur_map(proposals):
    """The map's data (static/js/premises-map.js): each located premises, linked to its
    proposal on the page."""
    return {
        "premises": [
            {
                "lat": p.premises.latitude,
                "lon": p.premises.longitude,
                "label": p.premises.address,
                "detail": f"{p.premises.get_kind_display()}, {p.premises.surface} m²",
                "available": p.premises.is_available,
                "url": f"#proposition-{p.pk}",
            }
            for p in proposals
            if p.premises.is_located
        ],
        "areas": [],
        "tiles": settings.MAP_TILES_URL,
    }
