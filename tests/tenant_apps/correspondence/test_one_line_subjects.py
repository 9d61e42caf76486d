"""An email's subject is one line, whatever fills it: a template's subject typed on two
lines is refused when saved, and a placeholder that spans lines ({locaux_proposes} with
two premises) is joined on one line, so the email still leaves (a mail header cannot
hold a line break: the relay refused it, retried for ever)."""

import uuid

import pytest
from django.core import mail

from tenant_apps.correspondence.models import DemandEmail, EmailTemplate
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.proposals.models import Proposal
from tests.conftest import logged_in_client
from tests.factories import DemandFactory, MembershipFactory, PremisesFactory
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db


def test_an_email_whose_subject_lists_two_proposed_premises_leaves_on_one_line(
    town_a, town_b, in_town
):
    agent = MembershipFactory(territory=town_a, role="agent").user
    with in_town(town_a):
        demand = DemandFactory(applicant__email="camille@example.fr")
        for number in (3, 5):
            premises = PremisesFactory(address=f"{number} rue Droite")
            Proposal.objects.create(demand=demand, premises=premises, origin="team")
    with in_town(town_b):
        DemandFactory(reference=demand.reference)  # the same reference in town B: untouched
    client = logged_in_client(town_a, agent)

    response = client.post(
        f"/gestion/demandes/{demand.reference}/courriel/",
        {
            "courriel-subject": "Locaux pour vous : {locaux_proposes}",
            "courriel-body": "Bonjour {prenom}",
            "courriel-send_key": str(uuid.uuid4()),
            "action": "envoyer",
        },
    )
    run_jobs()

    assert response.status_code == 302
    [sent] = mail.outbox
    assert "\n" not in sent.subject
    assert "3 rue Droite" in sent.subject and "5 rue Droite" in sent.subject
    with in_town(town_a):
        outbound = OutboundEmail.objects.get()
        assert outbound.sent_at is not None and outbound.last_error == ""
        assert "\n" not in DemandEmail.objects.get().subject
    with in_town(town_b):
        assert not OutboundEmail.objects.exists()


def test_a_template_subject_on_two_lines_is_refused_and_what_was_typed_stays(
    town_a, town_b, in_town
):
    admin = logged_in_client(town_a, MembershipFactory(territory=town_a, role="admin").user)

    response = admin.post(
        "/gestion/reglages/modeles-de-courriel/",
        {"name": "Relance", "subject": "Votre demande\r\nBcc: x@example.com", "body": "Bonjour"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "L’objet tient sur une ligne." in page
    assert 'value="Relance"' in page
    with in_town(town_a):
        assert not EmailTemplate.objects.filter(name="Relance").exists()
        template = EmailTemplate.objects.get(name="Premier contact")
    changed = admin.post(
        f"/gestion/reglages/modeles-de-courriel/{template.pk}/",
        {"name": template.name, "subject": "Deux\nlignes", "body": template.body},
    )
    assert changed.status_code == 400
    with in_town(town_a):
        assert "\n" not in EmailTemplate.objects.get(pk=template.pk).subject
    with in_town(town_b):
        assert EmailTemplate.objects.count() == 3
