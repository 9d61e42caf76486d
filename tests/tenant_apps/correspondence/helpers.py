"""Building replies as mail clients (and attackers) write them."""

import io
import zipfile
from email.message import EmailMessage
from email.utils import make_msgid

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def reply(to, *, text="Bonjour, oui je suis disponible jeudi.", sender="camille@example.fr",
          subject="Re: Votre demande", html=None, files=(), message_id=None):  # fmt: skip
    message = EmailMessage()
    message["From"] = f"Camille <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="example.fr")
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for name, data, maintype, subtype in files:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def zip_bomb(size=20 * 1024 * 1024, office=False):
    """A small zip that claims `size` bytes of zeros once decompressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if office:
            archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if office else "zeros.bin", b"\0" * size)
    return buffer.getvalue()


def docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types>types</Types>")
        archive.writestr(
            "word/document.xml", "<w:document>Plan du local, cotes et surfaces</w:document>"
        )
    return buffer.getvalue()
