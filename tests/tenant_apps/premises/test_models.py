"""State history and vacancy durations."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tenant_apps.premises.models import PremisesStateChange
from tests.factories import PremisesFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(town_a, in_town):
    with in_town(town_a):
        yield town_a


def test_each_state_change_is_recorded_with_who_and_when(town):
    user = UserFactory(first_name="Léa", last_name="Martin")
    premises = PremisesFactory()

    change = premises.change_state("works", user=user, note="Réfection de la vitrine")
    premises.change_state("works", user=user)  # no change, no line

    assert list(premises.state_changes.values_list("from_state", "to_state")) == [
        ("vacant", "works")
    ]
    assert change.actor == "Léa Martin"
    assert change.note == "Réfection de la vitrine"
    premises.refresh_from_db()
    assert premises.state == "works"


def test_a_let_premises_records_how_long_it_stayed_empty(town):
    today = timezone.localdate()
    premises = PremisesFactory(vacant_since=today - timedelta(days=130))
    assert premises.vacancy_days() == 130

    premises.change_state("reserved")
    assert premises.vacancy_days() == 130  # reserved: still empty
    change = premises.change_state("let")

    assert change.vacancy_days == 130
    assert premises.vacancy_days() is None
    assert premises.vacant_since is None


def test_a_premises_empty_again_counts_its_vacancy_from_that_day(town):
    premises = PremisesFactory(state="let", vacant_since=None)
    moment = timezone.now() - timedelta(days=20)

    premises.change_state("vacant", when=moment)

    assert premises.vacant_since == timezone.localdate(moment)
    assert premises.vacancy_days() == 20
    assert PremisesStateChange.objects.get().changed_at == moment


def test_the_vacancy_of_a_premises_sold_after_a_past_change_is_counted_at_that_date(town):
    today = timezone.localdate()
    premises = PremisesFactory(vacant_since=today - timedelta(days=100))

    change = premises.change_state("sold", when=timezone.now() - timedelta(days=40))

    assert change.vacancy_days == 60
