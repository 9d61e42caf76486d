"""Reading a received email without trusting it: its text (HTML only as plain text, the
quoted previous message cut), and the files worth keeping (by content, within limits)."""

import contextlib
import io
import re
import unicodedata
import zipfile
from html.parser import HTMLParser

from tenant_apps.correspondence.enums import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_TEXT_CHARS

# Text ---------------------------------------------------------------------------------


def decoded_text(part):
    """A text part as str whatever its declared charset: unknown charsets and bytes that
    do not match the declaration fall back to UTF-8, then Windows-1252."""
    payload = part.get_payload(decode=True) or b""
    declared = part.get_content_charset() or "utf-8"
    with contextlib.suppress(LookupError, UnicodeDecodeError):
        return payload.decode(declared)
    with contextlib.suppress(UnicodeDecodeError):
        return payload.decode("utf-8")
    return payload.decode("cp1252", errors="replace")


class _TextOfHtml(HTMLParser):
    SKIPPED = {"script", "style", "head", "title", "noscript", "template", "svg", "iframe"}
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table",
              "blockquote", "ul", "ol", "hr", "section", "article"}  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html):
    """Plain text of an HTML body: no tag, no script or style content survives."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = [
        re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip() for line in "".join(parser.parts).split("\n")
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# Where the quoted previous message starts, in the mail clients people use in France.
QUOTE_START = re.compile(
    r"^(le\s.{1,200}\sa\sécrit\s?:"
    r"|on\s.{1,200}\swrote\s?:"
    r"|-{2,}\s*(message d’origine|message d'origine|original message|message transféré)\s*-{2,}"
    r"|(de|from)\s?:\s.+@.+)$",
    re.IGNORECASE,
)


def without_quote(text):
    """The new part of a reply: up to the « Le … a écrit : » line (or the like), without
    the trailing « > » lines. Returns the whole text if cutting would leave nothing."""
    lines = text.splitlines()
    kept = []
    for index, line in enumerate(lines):
        joined = " ".join(part.strip() for part in lines[index : index + 2])
        if QUOTE_START.match(line.strip()) or (
            line.strip().lower().startswith(("le ", "on ")) and QUOTE_START.match(joined)
        ):
            break
        kept.append(line)
    while kept and (not kept[-1].strip() or kept[-1].lstrip().startswith(">")):
        kept.pop()
    result = "\n".join(kept).strip()
    return result or text.strip()


def clean(text):
    """No control characters but line breaks and tabs; at most MAX_TEXT_CHARS."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(char for char in text if char in "\n\t" or unicodedata.category(char)[0] != "C")
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS] + "\n[…] (message tronqué)"
    return text


def body_part(message):
    """The part holding the message's text, plain preferred; None if there is none."""
    try:
        return message.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001 — malformed MIME: look for any text leaf below
        for part in message.walk():
            if part.get_content_maintype() == "text" and not part.is_multipart():
                return part
        return None


def text_of(message, part=None):
    part = part if part is not None else body_part(message)
    if part is None:
        return ""
    text = decoded_text(part)
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return clean(without_quote(text))


# Files --------------------------------------------------------------------------------

OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
MAX_OFFICE_ENTRIES = 2000
MAX_OFFICE_UNPACKED = 100 * 1024 * 1024
MAX_OFFICE_RATIO = 100


class Refused(Exception):
    """A file not kept; the message says why, in French, for the timeline."""


def office_type(data):
    """(content type, extension) of an Office Open XML or OpenDocument file, read from
    the zip's directory only (nothing is decompressed); Refused for any other zip, for
    macros, and for contents announced as a bomb would be."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise Refused("fichier compressé illisible") from None
    names = [entry.filename for entry in entries]
    kind = None
    if "[Content_Types].xml" in names:
        kind = next(
            (kind for prefix, kind in OOXML.items() if any(n.startswith(prefix) for n in names)),
            None,
        )
    first = entries[0] if entries else None
    if kind is None and first and first.filename == "mimetype":
        # The OpenDocument signature: an uncompressed first entry, read raw from the data.
        start = first.header_offset + 30 + len(first.filename.encode()) + len(first.extra)
        length = min(first.file_size, 100) if first.compress_type == zipfile.ZIP_STORED else 0
        mimetype = data[start : start + length].decode("ascii", "replace")
        if mimetype in ODF:
            kind = (mimetype, ODF[mimetype])
    if kind is None:
        raise Refused("archive (zip) : les archives ne sont pas acceptées")
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if len(entries) > MAX_OFFICE_ENTRIES or unpacked > MAX_OFFICE_UNPACKED:
        raise Refused("document démesuré une fois décompressé")
    if unpacked / packed > MAX_OFFICE_RATIO:
        raise Refused("taux de compression anormal (bombe de décompression ?)")
    if any(name.lower().endswith((".zip", ".rar", ".7z", ".gz", ".jar")) for name in names):
        raise Refused("archive dans le document")
    if any("vbaproject" in name.lower() for name in names):
        raise Refused("document avec macros")
    return kind


def sniff(data):
    """(content type, extension) of an accepted file, read from its first bytes; Refused
    otherwise. The name and the declared type are never trusted."""
    if data.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif", "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    if data.startswith(b"PK\x03\x04"):
        return office_type(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise Refused("ancien format Office (macros possibles) : demandez un PDF")
    if data.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b", b"BZh", b"\xfd7zXZ")):
        raise Refused("archive : les archives ne sont pas acceptées")
    raise Refused("type de fichier non accepté (PDF, images, documents Office ou OpenDocument)")


def shown_name(name):
    """A sender's file name, safe to show: no path, no control character, 120 at most."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        char for char in name if unicodedata.category(char)[0] not in "CZ" or char == " "
    )
    return name.strip(" .")[:120]


def safe_name(name, extension):
    """The name a kept file is offered under: the sender's, with the detected extension."""
    stem = shown_name(name).rsplit(".", 1)[0].strip(" .")[:100] or "piece-jointe"
    return f"{stem}.{extension}"


def files_of(message, body):
    """([(file name, content type, bytes)], [refusal messages]) of the message's files,
    the text body excepted."""
    kept, refused = [], []
    for part in message.walk():
        if part.is_multipart() or part is body:
            continue
        disposition = part.get_content_disposition()
        try:
            filename = part.get_filename()
        except Exception:  # noqa: BLE001 — a header too broken to read is a nameless file
            filename = None
        if disposition != "attachment" and not filename and part.get_content_maintype() == "text":
            continue  # another rendering of the text (the HTML of a plain-text reply)
        shown = shown_name(filename) or "pièce jointe sans nom"
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes) or not data:
            continue
        if len(data) > MAX_ATTACHMENT_BYTES:
            refused.append(f"{shown} : plus de {MAX_ATTACHMENT_BYTES // (1024 * 1024)} Mo")
            continue
        if len(kept) >= MAX_ATTACHMENTS:
            refused.append(f"{shown} : plus de {MAX_ATTACHMENTS} pièces jointes")
            continue
        try:
            content_type, extension = sniff(data)
        except Refused as reason:
            refused.append(f"{shown} : {reason}")
            continue
        kept.append((safe_name(filename, extension), content_type, data))
    return kept, refused
