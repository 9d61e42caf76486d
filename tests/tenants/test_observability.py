"""Web requests name their town in logs and Sentry events; errors show a French page."""

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_request_logs_name_the_town(town_a, town_b, json_lines):
    json_lines = json_lines("django.request")
    client_for(town_a).get("/nulle-part/")
    client_for(town_b).get("/ailleurs/")

    assert [(line["town"], line["message"]) for line in json_lines] == [
        (town_a.schema_name, "Not Found: /nulle-part/"),
        (town_b.schema_name, "Not Found: /ailleurs/"),
    ]


def test_web_errors_reach_sentry_tagged_with_the_town(town_b, sentry_events, settings):
    settings.ROOT_URLCONF = "tests.tenants.urls_failing"
    client = client_for(town_b)
    client.raise_request_exception = False

    response = client.get("/panne/")

    assert response.status_code == 500
    assert "Erreur inattendue" in response.text
    errors = [event for event in sentry_events if event.get("exception")]
    assert errors and errors[0]["tags"]["town"] == town_b.schema_name
