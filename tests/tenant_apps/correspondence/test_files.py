"""What a reply brings, once received: its files served only to the town's agents and
admins through a view, never from /media; erasing the demand deletes them."""

import pytest

from tenant_apps.correspondence.addresses import reply_address
from tenant_apps.correspondence.inbound import receive
from tenant_apps.correspondence.models import Attachment, DemandEmail
from tests.conftest import logged_in_client
from tests.factories import DemandFactory, MembershipFactory
from tests.tenant_apps.correspondence.helpers import PDF, reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(town_a, in_town):
    """A demand of town A with a reply carrying a PDF, received by the same function as the
    listener's (inbound.receive)."""
    with in_town(town_a):
        demand = DemandFactory()
        address = reply_address(demand)
    message = reply(address, files=[("kbis.pdf", PDF, "application", "pdf")])
    [outcome] = receive(message.as_bytes(), [address])
    with in_town(town_a):
        attachment = Attachment.objects.get(email=outcome.email)
    return demand, attachment


def file_url(demand, attachment):
    return f"/gestion/demandes/{demand.reference}/courriel/pieces-jointes/{attachment.pk}/"


def test_agents_download_a_reply_file(town_a, received):
    demand, attachment = received
    client = logged_in_client(town_a, MembershipFactory(territory=town_a, role="agent").user)

    page = client.get(f"/gestion/demandes/{demand.reference}/")
    response = client.get(file_url(demand, attachment))

    assert file_url(demand, attachment) in page.text
    assert "Réponse du porteur par courriel" in page.text
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="kbis.pdf"' in response["Content-Disposition"]
    assert "/media/" not in page.text


def test_read_only_staff_and_other_towns_get_nothing(town_a, town_b, received):
    demand, attachment = received
    reader = MembershipFactory(territory=town_a, role="read_only").user
    stranger = MembershipFactory(territory=town_b, role="admin").user

    assert logged_in_client(town_a, reader).get(file_url(demand, attachment)).status_code == 404
    assert logged_in_client(town_a, stranger).get(file_url(demand, attachment)).status_code == 403
    assert logged_in_client(town_b, stranger).get(file_url(demand, attachment)).status_code == 404


def test_a_file_is_only_reached_through_its_own_demand(town_a, in_town, received):
    demand, attachment = received
    with in_town(town_a):
        other = DemandFactory()
    client = logged_in_client(town_a, MembershipFactory(territory=town_a, role="admin").user)
    assert client.get(file_url(other, attachment)).status_code == 404


def test_erasing_the_demand_deletes_its_files_and_empties_its_emails(town_a, in_town, received):
    demand, attachment = received
    with in_town(town_a):
        path = attachment.path
        assert path.exists()
        demand.erase()
        email = DemandEmail.objects.get(demand=demand)
        assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not path.exists()
    assert (email.subject, email.body, email.from_address) == ("(effacé)", "", "")
