"""The kit's page in the back-office and its downloads."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header

from shared_apps.accounts.perms import town_staff_required
from tenant_apps.calls.models import Call
from tenant_apps.calls.perms import public_call
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
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@town_staff_required()
def kit(request):
    territory = request.tenant
    context = {"territory": territory, "form_url": documents.form_url(territory)}
    texts = [
        (key, title, render_to_string(template, context).strip()) for key, title, template in TEXTS
    ]
    # The embedded form keeps its draft in the page, not in cookies a frame would lose.
    # Sized by attributes, not a style attribute: a site with a Content-Security-Policy
    # (ours has one) refuses inline styles and the browser reports an error.
    embed = (
        f'<iframe src="{territory.url(reverse("demands:embedded"))}" '
        f'title="Déposer une demande — {territory.name}" '
        'width="100%" height="1100" loading="lazy"></iframe>'
    )
    return render(
        request,
        "kit/kit.html",
        {
            **context,
            "calls": Call.objects.public().open_first(),
            "texts": texts,
            "embed": embed,
            "embed_domains": TownSettings.for_request(request).embed_origins(),
            "nav": "kit",
            "title": "Kit de communication",
        },
    )


# Each download: how it is drawn, its type and the start of its file name.
DOCUMENTS = {
    "poster": (lambda town: documents.pdf(town, "A4"), "application/pdf", "affiche", "pdf"),
    "flyer": (lambda town: documents.pdf(town, "A5"), "application/pdf", "flyer", "pdf"),
    "social": (documents.social_image, "image/png", "reseaux-sociaux", "png"),
    "qr": (documents.qr_svg, "image/svg+xml", "qr", "svg"),
}


@town_staff_required()
def download(request, document):
    draw, content_type, name, extension = DOCUMENTS[document]
    return attachment(
        draw(request.tenant), content_type, f"{name}-{request.tenant.slug}.{extension}"
    )


@town_staff_required()
def call_download(request, pk, document):
    """A call's printable sheet (PDF) or its QR code alone (SVG): published calls only,
    their QR code leads to the public page."""
    call = public_call(pk)
    if document == "pdf":
        content, content_type = documents.call_pdf(request.tenant, call), "application/pdf"
    else:
        content, content_type = documents.call_qr_svg(request.tenant, call), "image/svg+xml"
    return attachment(content, content_type, f"appel-{call.pk}-{request.tenant.slug}.{document}")
