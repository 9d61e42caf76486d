"""The kit's documents: PDFs drawn by WeasyPrint, the QR code by segno, the social image
by Pillow. Everything carries the town's name, colour and logo."""

import hashlib
import io
from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont

from tenant_apps.townsite.forms import IdentityForm

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def form_url(territory):
    return territory.url("/demande/")


def qr_code(territory):
    return segno.make(form_url(territory), error="m")


def qr_svg(territory):
    buffer = io.BytesIO()
    qr_code(territory).save(buffer, kind="svg", scale=8, border=2, dark="#161616")
    return buffer.getvalue()


def font_url(name):
    path = finders.find(f"dsfr/dist/fonts/{name}")
    return Path(path).as_uri() if path else ""


def printable_logo(territory):
    """The logo's file URI for WeasyPrint, or "" when there is none or it is unreadable or
    too large to draw (one stored before uploads were capped: WeasyPrint took about 1 GB
    for 12,000 × 12,000 pixels). Pillow reads the header only."""
    if not territory.logo:
        return ""
    try:
        with Image.open(territory.logo.path) as image:
            if image.width * image.height > IdentityForm.MAX_LOGO_PIXELS:
                return ""
    except (OSError, ValueError, Image.DecompressionBombError):
        return ""
    return Path(territory.logo.path).as_uri()


# A drawn PDF is kept (in the town's cache) as long as what it shows is the same.
KEPT_SECONDS = 7 * 24 * 60 * 60


def kept_pdf(html, base_url=None, stamp="", timeout=KEPT_SECONDS):
    """`html` drawn by WeasyPrint (a second or more), or the PDF already drawn from the
    same HTML and `stamp` (what the HTML names but does not hold, such as a file's
    state): it is kept until its data change."""
    digest = hashlib.sha256(f"{stamp}\n{base_url}\n{html}".encode()).hexdigest()
    key = f"pdf:{digest}"
    document = cache.get(key)
    if document is None:
        from weasyprint import HTML

        document = HTML(string=html, base_url=base_url).write_pdf()
        cache.set(key, document, timeout)
    return document


def file_stamp(path):
    try:
        state = Path(path).stat()
    except (OSError, ValueError):
        return ""
    return f"{path}:{state.st_size}:{state.st_mtime_ns}"


def pdf(territory, size):
    """The poster (A4) or the flyer (A5) as PDF bytes."""
    logo = printable_logo(territory)
    html = render_to_string(
        "kit/print.html",
        {
            "territory": territory,
            "size": size,
            "form_url": form_url(territory),
            "qr": qr_code(territory).svg_data_uri(scale=10, border=2, dark="#161616"),
            "logo": logo,
            "font_regular": font_url("Marianne-Regular.woff"),
            "font_bold": font_url("Marianne-Bold.woff"),
        },
    )
    stamp = file_stamp(territory.logo.path) if logo else ""
    return kept_pdf(html, base_url=str(settings.BASE_DIR), stamp=stamp)


def call_url(territory, call):
    return territory.url(reverse("calls:detail", args=[call.pk]))


def call_pdf(territory, call):
    """A call's A4 sheet: its conditions, its rent month by month, its deadline and the QR
    code of its page (/appels/<id>/)."""
    from weasyprint import HTML

    url = call_url(territory, call)
    html = render_to_string(
        "kit/call_print.html",
        {
            "territory": territory,
            "call": call,
            "url": url,
            "qr": segno.make(url, error="m").svg_data_uri(scale=10, border=2, dark="#161616"),
            "logo": printable_logo(territory),
            "font_regular": font_url("Marianne-Regular.woff"),
            "font_bold": font_url("Marianne-Bold.woff"),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def call_qr_svg(territory, call):
    buffer = io.BytesIO()
    segno.make(call_url(territory, call), error="m").save(
        buffer, kind="svg", scale=8, border=2, dark="#161616"
    )
    return buffer.getvalue()


def social_image(territory):
    """A 1200×630 PNG for social networks, with the QR code."""
    width, height = 1200, 630
    accent = territory.accent_color or "#000091"
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 24), fill=accent)
    draw.rectangle((0, height - 24, width, height), fill=accent)

    def font(size, bold=False):
        name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
        try:
            return ImageFont.truetype(str(DEJAVU / name), size)
        except OSError:
            return ImageFont.load_default(size)

    draw.text((60, 80), "Vous ouvrez un commerce", font=font(54, True), fill="#161616")
    draw.text((60, 150), f"ou un service à {territory.name} ?", font=font(54, True), fill="#161616")
    draw.text((60, 270), "Décrivez votre projet une seule fois :", font=font(34), fill="#3a3a3a")
    draw.text((60, 320), "la ville vous aide à trouver un local.", font=font(34), fill="#3a3a3a")
    draw.text((60, 470), form_url(territory), font=font(30, True), fill=accent)
    qr = io.BytesIO()
    qr_code(territory).save(qr, kind="png", scale=9, border=2)
    qr_image = Image.open(io.BytesIO(qr.getvalue())).convert("RGB")
    image.paste(qr_image, (width - qr_image.width - 60, (height - qr_image.height) // 2))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
