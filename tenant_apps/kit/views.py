"""The kit's page in the back-office and its downloads."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from shared_apps.accounts.perms import town_staff_required
from tenant_apps.kit import documents
from tenant_apps.townsite.models import TownSettings

TEXTS = [
    ("agences", "Pour les agences immobilières et les propriétaires", "kit/texts/agencies.txt"),
    ("porteurs", "Pour les porteurs de projet", "kit/texts/porteurs.txt"),
    (
        "prescripteurs",
        "Pour la CCI, la CMA et les réseaux d’accompagnement",
        "kit/texts/prescribers.txt",
    ),
]


def attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@town_staff_required()
def kit(request):
    territory = request.tenant
    context = {"territory": territory, "form_url": documents.form_url(territory)}
    texts = [
        (key, title, render_to_string(template, context).strip()) for key, title, template in TEXTS
    ]
    embed = (
        f'<iframe src="{context["form_url"]}" title="Déposer une demande — {territory.name}" '
        'style="width:100%;min-height:1100px;border:0" loading="lazy"></iframe>'
    )
    return render(
        request,
        "kit/kit.html",
        {
            **context,
            "texts": texts,
            "embed": embed,
            "embed_domains": TownSettings.load().embed_origins(),
            "nav": "kit",
            "title": "Kit de communication",
        },
    )


@town_staff_required()
def poster(request):
    return attachment(
        documents.pdf(request.tenant, "A4"),
        "application/pdf",
        f"affiche-{request.tenant.slug}.pdf",
    )


@town_staff_required()
def flyer(request):
    return attachment(
        documents.pdf(request.tenant, "A5"),
        "application/pdf",
        f"flyer-{request.tenant.slug}.pdf",
    )


@town_staff_required()
def social(request):
    return attachment(
        documents.social_image(request.tenant),
        "image/png",
        f"reseaux-sociaux-{request.tenant.slug}.png",
    )


@town_staff_required()
def qr(request):
    return attachment(
        documents.qr_svg(request.tenant), "image/svg+xml", f"qr-{request.tenant.slug}.svg"
    )
