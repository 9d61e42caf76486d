"""One-time links' single use rests on PostgreSQL; the daily clean-up forgets expired nonces.
(Links working once with Redis down: tests/faults/test_redis_down.py.)"""

from datetime import timedelta

import pytest
from django.utils import timezone

from shared_apps.accounts.models import UsedLink
from shared_apps.accounts.one_time import ONE_TIME_SECONDS, one_time_token
from shared_apps.accounts.tasks import clear_expired_sessions
from shared_apps.national.views import VIEW_AS_SALT
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_used_link_leaves_its_nonce_in_the_public_schema(town_a):
    token = one_time_token(town_a, UserFactory(anct=True), salt=VIEW_AS_SALT)
    assert client_for(town_a).get(f"/compte/consultation/{token}/").status_code == 302
    assert UsedLink.objects.count() == 1


def test_the_daily_clean_up_forgets_the_nonces_of_expired_links_only():
    old = UsedLink.objects.create(
        nonce="ancien", used_at=timezone.now() - timedelta(seconds=ONE_TIME_SECONDS * 2 + 1)
    )
    recent = UsedLink.objects.create(nonce="recent")

    clear_expired_sessions()

    assert not UsedLink.objects.filter(pk=old.pk).exists()
    assert UsedLink.objects.filter(pk=recent.pk).exists()  # its link could still be replayed
