"""The list of addresses to register at ProConnect."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_every_host_s_callback_and_home_page_are_listed(public_territory, town_a, town_b):
    town_b.status = "suspended"
    town_b.save()
    out = StringIO()

    call_command("proconnect_redirect_uris", stdout=out)

    lines = out.getvalue().splitlines()
    assert public_territory.url("/compte/proconnect/login/callback/") in lines
    assert town_a.url("/compte/proconnect/login/callback/") in lines
    assert town_a.url("/") in lines
    assert lines.index("post_logout_redirect_uris") > lines.index(
        town_a.url("/compte/proconnect/login/callback/")
    )
    assert not any(town_b.host in line for line in lines)  # not reachable: not listed
