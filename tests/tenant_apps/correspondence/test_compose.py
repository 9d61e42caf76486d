"""Writing to a porteur from the demand page: templates filled server-side (no JavaScript
needed), preview, sending once through the outbox with the demand's reply address, the
delivery status, the partner in copy only with consent, editors only, town by town."""

import re
import uuid

import pytest
from django.core import mail

from shared_apps.partners.models import Partner
from tenant_apps.correspondence.addresses import target_of
from tenant_apps.correspondence.models import DemandEmail, EmailTemplate
from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.models import Introduction
from tenant_apps.mailing.models import OutboundEmail
from tests.conftest import logged_in_client
from tests.factories import DemandFactory, MembershipFactory, PartnerFactory
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(town_a):
    return MembershipFactory(
        territory=town_a, role="agent", user__first_name="Inès", user__last_name="Martin"
    ).user


@pytest.fixture
def demand(town_a, in_town):
    with in_town(town_a):
        return DemandFactory(
            applicant__first_name="Camille",
            applicant__email="camille@example.fr",
            consent_to_share=True,
        )


def page(demand):
    return f"/gestion/demandes/{demand.reference}/"


def compose_url(demand):
    return f"/gestion/demandes/{demand.reference}/courriel/"


def form_data(action="envoyer", key=None, **fields):
    data = {
        "courriel-subject": "Votre demande {reference}",
        "courriel-body": "Bonjour {prenom},\nvotre suivi : {lien_suivi}\n{agent}, {ville}",
        "courriel-send_key": str(key or uuid.uuid4()),
        "action": action,
    }
    data.update({f"courriel-{name}": value for name, value in fields.items()})
    return data


def test_the_ready_templates_are_there_and_fill_the_form_without_javascript(
    town_a, in_town, agent, demand
):
    client = logged_in_client(town_a, agent)
    with in_town(town_a):
        template = EmailTemplate.objects.get(name="Premier contact")

    demand_page = client.get(page(demand))
    assert "Écrire au porteur" in demand_page.text
    assert f'<option value="{template.pk}">Premier contact</option>' in demand_page.text

    filled = client.get(compose_url(demand), {"modele": template.pk})

    assert filled.status_code == 200
    assert "Votre demande {reference} : faisons connaissance" in filled.text
    assert "Bonjour {prenom}," in filled.text
    with in_town(town_a):
        assert not OutboundEmail.objects.exists()


def test_the_preview_shows_the_filled_email_and_sends_nothing(town_a, in_town, agent, demand):
    client = logged_in_client(town_a, agent)

    response = client.post(compose_url(demand), form_data(action="apercu"))

    assert response.status_code == 200
    assert f"Votre demande {demand.reference}" in response.text
    assert "Bonjour Camille," in response.text
    assert "Inès Martin, Ville A" in response.text
    assert "/suivi/" in response.text
    # What was typed stays in the form, placeholders and all, with the same key.
    assert "Bonjour {prenom}," in response.text
    with in_town(town_a):
        assert not OutboundEmail.objects.exists()
        assert not DemandEmail.objects.exists()


def test_sending_goes_through_the_outbox_with_the_reply_address_and_on_the_timeline(
    town_a, in_town, agent, demand
):
    client = logged_in_client(town_a, agent)

    response = client.post(compose_url(demand), form_data())

    assert response.status_code == 302
    with in_town(town_a):
        [outbound] = OutboundEmail.objects.all()
        event = demand.events.get(kind=EventKind.EMAIL_SENT)
        assert target_of(outbound.headers["Reply-To"]).demand_id == demand.pk
    assert outbound.to == "camille@example.fr"
    assert outbound.subject == f"Votre demande {demand.reference}"
    assert outbound.body.startswith("Bonjour Camille,\nvotre suivi : http://ville-a.")
    assert event.visible_to_applicant is True
    assert event.message == f"« Votre demande {demand.reference} »"
    assert "en attente" in client.get(page(demand)).text

    run_jobs()

    [sent] = mail.outbox
    assert sent.to == ["camille@example.fr"]
    assert sent.extra_headers["Reply-To"] == outbound.headers["Reply-To"]
    assert re.search(r"envoyé le \d\d/\d\d/\d{4}", client.get(page(demand)).text)


def test_a_double_submission_sends_once(town_a, in_town, agent, demand):
    client = logged_in_client(town_a, agent)
    data = form_data(key=uuid.uuid4())

    first = client.post(compose_url(demand), data)
    second = client.post(compose_url(demand), data, follow=True)

    assert first.status_code == 302
    assert "déjà parti" in second.text
    run_jobs()
    assert len(mail.outbox) == 1
    with in_town(town_a):
        assert DemandEmail.objects.count() == 1
        assert demand.events.filter(kind=EventKind.EMAIL_SENT).count() == 1


def test_unknown_placeholders_are_refused_and_nothing_typed_is_lost(town_a, in_town, agent, demand):
    client = logged_in_client(town_a, agent)

    response = client.post(
        compose_url(demand), form_data(body="Bonjour {prénom}, votre {reference} {", send_key="")
    )

    assert response.status_code == 400
    assert "Une accolade est seule" in response.text or "n’existe pas" in response.text
    assert "Bonjour {prénom}, votre {reference} {" in response.text
    assert "Le formulaire a expiré" in response.text
    key = re.search(r'name="courriel-send_key" value="([0-9a-f-]{36})"', response.text)
    assert key, "a fresh key is offered with the corrected form"
    with in_town(town_a):
        assert not OutboundEmail.objects.exists()


def copy_partner(town_a, in_town, demand, **partner):
    partner = PartnerFactory(name="Agence du Centre", email="agence.centre@example.fr", **partner)
    with in_town(town_a):
        Introduction.objects.create(demand=demand, partner=partner)
    return partner


def test_a_partner_introduced_to_a_consenting_porteur_gets_a_copy(town_a, in_town, agent, demand):
    partner = copy_partner(town_a, in_town, demand)
    client = logged_in_client(town_a, agent)
    assert ">Agence du Centre</option>" in client.get(page(demand)).text

    client.post(compose_url(demand), form_data(partner=partner.pk))

    run_jobs()
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert set(by_recipient) == {("camille@example.fr",), ("agence.centre@example.fr",)}
    assert "agence.centre@example.fr" in by_recipient[("camille@example.fr",)].extra_headers["Cc"]
    assert "copie à Agence du Centre" in client.get(page(demand)).text

    # Erasing the porteur's data leaves no trace of them in the partner's copy either.
    with in_town(town_a):
        demand.erase()
        assert not OutboundEmail.objects.filter(headers__Cc__contains="camille").exists()
        assert set(OutboundEmail.objects.values_list("body", flat=True)) == {""}


def test_without_consent_no_partner_is_offered_nor_accepted(town_a, in_town, agent, demand):
    partner = copy_partner(town_a, in_town, demand)
    with in_town(town_a):
        demand.consent_to_share = False
        demand.save()
    client = logged_in_client(town_a, agent)
    assert ">Agence du Centre</option>" not in client.get(page(demand)).text

    response = client.post(compose_url(demand), form_data(partner=partner.pk))

    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.text
    with in_town(town_a):
        assert not OutboundEmail.objects.exists()


def test_a_partner_never_introduced_nor_alerted_cannot_be_copied(town_a, in_town, agent, demand):
    stranger = PartnerFactory(email="inconnu@example.fr")
    client = logged_in_client(town_a, agent)

    response = client.post(compose_url(demand), form_data(partner=stranger.pk))

    assert response.status_code == 400
    with in_town(town_a):
        assert not OutboundEmail.objects.exists()
    assert Partner.objects.filter(pk=stranger.pk).exists()


def test_read_only_staff_see_the_emails_but_cannot_write(town_a, in_town, demand):
    reader = MembershipFactory(territory=town_a, role="read_only").user
    client = logged_in_client(town_a, reader)

    demand_page = client.get(page(demand))

    assert "Courriels avec le porteur" in demand_page.text
    assert "courriel-body" not in demand_page.text
    assert client.get(compose_url(demand)).status_code == 403
    assert client.post(compose_url(demand), form_data()).status_code == 403
    with in_town(town_a):
        assert not OutboundEmail.objects.exists()


def test_an_agent_of_another_town_cannot_write_to_this_porteur(town_a, town_b, in_town, demand):
    other = MembershipFactory(territory=town_b, role="admin").user
    on_a = logged_in_client(town_a, other)
    assert on_a.post(compose_url(demand), form_data()).status_code == 403
    on_b = logged_in_client(town_b, other)
    assert on_b.post(compose_url(demand), form_data()).status_code == 404
    with in_town(town_a):
        assert not OutboundEmail.objects.exists()


def test_an_erased_porteur_cannot_be_written_to(town_a, in_town, agent, demand):
    with in_town(town_a):
        demand.erase()
    client = logged_in_client(town_a, agent)

    response = client.post(compose_url(demand), form_data(), follow=True)

    assert "effacées" in response.text
    with in_town(town_a):
        assert not DemandEmail.objects.exists()
