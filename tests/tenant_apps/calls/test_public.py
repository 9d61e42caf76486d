"""The town's public pages of its calls: published calls only (open ones first), never a
draft, never another town's; the premises' catalogue page leads to its open call."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import PremisesFactory
from tests.tenant_apps.calls.factories import CallFactory

pytestmark = pytest.mark.django_db


def test_the_list_shows_published_calls_open_ones_first(town_a, in_town):
    with in_town(town_a):
        CallFactory(title="Appel clos", past=True)
        CallFactory(title="Appel lointain", deadline=timezone.now() + timedelta(days=60))
        CallFactory(title="Appel proche", deadline=timezone.now() + timedelta(days=3))
        CallFactory(title="Appel en brouillon", draft=True)
    page = client_for(town_a).get("/appels/").content.decode()
    assert "Appel en brouillon" not in page
    assert page.index("Appel proche") < page.index("Appel lointain") < page.index("Appel clos")
    assert "Candidatures closes" in page


def test_the_call_page_shows_the_premises_conditions_rents_and_grid(town_a, in_town):
    with in_town(town_a):
        premises = PremisesFactory(address="3 place du Marché", surface=45)
        premises.photos.create(image="locaux/1/vitrine.jpg", caption="La vitrine")
        call = CallFactory(
            premises=premises,
            commitments="Ouvrir le samedi.",
            grid=[("Faisabilité", 70), ("Motivation", 30)],
        )
    page = client_for(town_a).get(f"/appels/{call.pk}/").content.decode()
    assert "3 place du Marché" in page and "45 m²" in page
    assert 'alt="La vitrine"' in page
    assert '<td data-label="Loyer">500 €</td>' in page
    assert '<td data-label="Part du loyer de marché">100 %</td>' in page
    assert '<td data-label="Poids">70 %</td>' in page
    assert "Ouvrir le samedi." in page
    assert "(heure de Paris)" in page
    assert f'href="/appels/{call.pk}/candidater/"' in page


def test_a_call_past_its_deadline_no_longer_offers_to_apply(town_a, in_town):
    with in_town(town_a):
        call = CallFactory(past=True)
    client = client_for(town_a)
    assert "/candidater/" not in client.get(f"/appels/{call.pk}/").content.decode()
    assert (
        "Les candidatures sont closes"
        in client.get(f"/appels/{call.pk}/candidater/").content.decode()
    )


def test_a_draft_and_another_towns_call_are_not_found(town_a, town_b, in_town):
    with in_town(town_a):
        draft = CallFactory(draft=True)
    with in_town(town_b):
        theirs = CallFactory(title="Appel de la ville B", pk=900_201)
    client = client_for(town_a)
    for pk in (draft.pk, theirs.pk):
        assert client.get(f"/appels/{pk}/").status_code == 404
        assert client.get(f"/appels/{pk}/candidater/").status_code == 404
    assert "Appel de la ville B" not in client.get("/appels/").content.decode()
    assert client_for(town_b).get(f"/appels/{theirs.pk}/").status_code == 200


def test_the_catalogue_page_leads_to_the_open_call(town_a, town_b, in_town):
    with in_town(town_a):
        premises = PremisesFactory(is_published=True)
        other = PremisesFactory(is_published=True)
        call = CallFactory(premises=premises)
        CallFactory(premises=other, draft=True)
    with in_town(town_b):
        # Town B's own call: it shows on B's catalogue, never on A's.
        theirs = CallFactory(
            premises=PremisesFactory(pk=premises.pk + 1000, is_published=True), pk=900_301
        )
    client = client_for(town_a)
    page = client.get(f"/locaux/{premises.pk}/").content.decode()
    assert f'href="/appels/{call.pk}/"' in page
    assert "appel à candidatures" in page
    assert "/appels/900301/" not in page
    assert 'href="/appels/' not in client.get(f"/locaux/{other.pk}/").content.decode()
    their_page = client_for(town_b).get(f"/locaux/{theirs.premises_id}/").content.decode()
    assert 'href="/appels/900301/"' in their_page
