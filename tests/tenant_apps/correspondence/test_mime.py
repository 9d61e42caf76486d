"""Reading a reply without trusting it: the pieces behind the listener, one by one."""

import io
import zipfile

import pytest

from tenant_apps.correspondence.mime import Refused, html_to_text, sniff, without_quote
from tenant_apps.correspondence.placeholders import fill
from tests.tenant_apps.correspondence.helpers import docx, zip_bomb


@pytest.mark.parametrize(
    "quote",
    [
        "Le 7 déc. 2026 à 10:02, Ville A <ne-pas-repondre@localhost> a écrit :",
        "Le lun. 7 déc. 2026 à 10:02, Ville A\n<ne-pas-repondre@localhost> a écrit :",
        "On Mon, Dec 7, 2026 at 10:02 AM Ville A <ne-pas-repondre@localhost> wrote:",
        "-----Message d'origine-----",
        "De : Ville A <ne-pas-repondre@localhost>",
    ],
)
def test_the_quoted_message_is_cut_as_mail_clients_write_it(quote):
    text = f"D’accord pour jeudi.\n\n{quote}\n> Bonjour,\n> voici le local."
    assert without_quote(text) == "D’accord pour jeudi."


def test_a_reply_that_is_only_a_quote_is_kept_whole():
    text = "Le 7 déc. 2026, Ville A <a@b.fr> a écrit :\n> Bonjour"
    assert without_quote(text) == text


def test_html_keeps_its_text_and_paragraphs_only():
    html = "<div>Un<br>deux</div><style>x{}</style><p>trois &lt;b&gt;</p><noscript>non</noscript>"
    assert html_to_text(html) == "Un\ndeux\n\ntrois <b>"


def odt():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            zipfile.ZIP_STORED,
        )
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def test_office_documents_are_recognised_from_their_directory_only():
    assert sniff(docx())[1] == "docx"
    assert sniff(odt()) == ("application/vnd.oasis.opendocument.text", "odt")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (zip_bomb(1024), "les archives ne sont pas acceptées"),
        (zip_bomb(office=True), "taux de compression anormal"),
        (b"PK\x03\x04tronque", "illisible"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "ancien format Office"),
        (b"\x1f\x8b\x08\x00", "archive"),
        (b"MZ\x90\x00", "type de fichier non accepté"),
    ],
)
def test_archives_bombs_and_unknown_files_are_refused(data, reason):
    with pytest.raises(Refused, match=reason):
        sniff(data)


def test_values_are_never_read_as_placeholders():
    assert fill("Bonjour {prenom}", {"prenom": "{ville}"}) == "Bonjour {ville}"
