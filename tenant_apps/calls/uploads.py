"""A business plan is kept only if its content is a plain PDF: judged by its bytes, never
by its name or the type the browser announced."""

import re

from tenant_apps.calls.enums import MAX_PLAN_BYTES

# Other formats that a file starting with %PDF- may also be (a polyglot), or active content
# a jury member's reader could run: refused rather than trusted.
FOREIGN = [
    (re.compile(rb"<\s*(html|script|svg|body|iframe)\b", re.IGNORECASE), "du HTML"),
    (re.compile(rb"PK\x03\x04"), "une archive ZIP"),
    (re.compile(rb"\x7fELF|MZ\x90\x00"), "un programme"),
    (re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b"), "du contenu actif"),
]
ENCRYPTED = re.compile(rb"/Encrypt\b")
TOO_BIG = (
    f"Le fichier dépasse {MAX_PLAN_BYTES // (1024 * 1024)} Mo : réduisez-le "
    "(des images moins lourdes, par exemple)."
)


def pdf_problem(data):
    """Why `data` is not kept as a business plan, in French; None when it is a plain PDF."""
    if len(data) > MAX_PLAN_BYTES:
        return TOO_BIG
    if not data.startswith(b"%PDF-"):
        return "Ce fichier n’est pas un PDF : enregistrez votre plan d’affaires au format PDF."
    if b"%%EOF" not in data[-2048:]:
        return "Ce PDF est incomplet ou abîmé : enregistrez-le à nouveau."
    if ENCRYPTED.search(data):
        return "Ce PDF est protégé par un mot de passe : envoyez-le sans protection."
    for pattern, what in FOREIGN:
        if pattern.search(data):
            return (
                f"Ce PDF contient {what} : enregistrez-le à nouveau en PDF simple "
                "(« Imprimer en PDF »)."
            )
    return None


def read_upload(upload):
    """The uploaded file's bytes, reading at most one byte past the limit."""
    upload.seek(0)
    return upload.read(MAX_PLAN_BYTES + 1)
