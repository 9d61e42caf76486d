"""The ranking: per application, the mean of the jurors' weighted scores, how many scored,
their spread; sorted by score; conflicts said; blind for jurors who have not finished."""

import pytest

from shared_apps.accounts.enums import Role
from tenant_apps.calls.enums import CallStatus
from tenant_apps.jury.services import ranking
from tenant_apps.trials.figures import call_rows
from tests.conftest import logged_in_client
from tests.factories import MembershipFactory
from tests.tenant_apps.calls.factories import ApplicationFactory, CallFactory
from tests.tenant_apps.jury.factories import JurorFactory, review

pytestmark = pytest.mark.django_db

GRID = [("Faisabilité", 40), ("Motivation", 30), ("Savoir-faire", 20), ("Centre-ville", 10)]


@pytest.fixture
def scored(town_a, in_town):
    """Hand-checked: on the grid 40/30/20/10,
    Inès: juror 1 (8, 6, 7, 10) → 3.2 + 1.8 + 1.4 + 1.0 = 7.4;
          juror 2 (6, 9, 5, 2)  → 2.4 + 2.7 + 1.0 + 0.2 = 6.3;
          juror 3 in conflict; juror 4's draft does not count.
          Mean 6.85; standard deviation |7.4 − 6.3| / 2 = 0.55; 6.3–7.4.
    Paul: juror 1 (9, 9, 9, 9) → 9.0, alone: first.
    Léa: nobody submitted: last."""
    with in_town(town_a):
        call = CallFactory(status=CallStatus.CLOSED, grid=GRID)
        ines = ApplicationFactory(call=call, name="Inès Martin")
        paul = ApplicationFactory(call=call, name="Paul Girard")
        ApplicationFactory(call=call, name="Léa Roux")
        one, two, three, four = (JurorFactory(call=call) for _ in range(4))
        review(one, ines, [8, 6, 7, 10])
        review(two, ines, [6, 9, 5, 2])
        review(one, paul, [9, 9, 9, 9])
        review(four, ines, [0, 0, 0, 0], submitted=False)
        conflict = review(three, ines, [0, 0, 0, 0], submitted=False)
        conflict.scores.all().delete()
        conflict.conflict, conflict.conflict_reason = True, "Sa cousine"
        conflict.save()
        rows = ranking(call)
    return {"call": call, "rows": rows, "jurors": (one, two, three, four), "ines": ines}


def test_the_weighted_score_mean_and_spread_are_right(scored):
    paul, ines, lea = scored["rows"]
    assert [row.application.name for row in scored["rows"]] == [
        "Paul Girard",
        "Inès Martin",
        "Léa Roux",
    ]
    assert ines.scores == pytest.approx([7.4, 6.3])
    assert ines.score == pytest.approx(6.85)
    assert ines.spread == pytest.approx(0.55)
    assert (ines.low, ines.high, ines.count, ines.conflicts) == (
        pytest.approx(6.3),
        pytest.approx(7.4),
        2,
        1,
    )
    assert (paul.score, paul.count, paul.spread) == (pytest.approx(9.0), 1, None)
    assert (lea.score, lea.count) == (None, 0)


def test_staff_see_the_ranking_table_with_its_definitions(town_a, scored):
    reader = MembershipFactory(territory=town_a, role=Role.READ_ONLY).user
    response = logged_in_client(town_a, reader).get(
        f"/gestion/appels/{scored['call'].pk}/classement/"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "6,85" in page and "0,55 ; 6,3–7,4" in page and "9,00" in page
    assert "1 juré en conflit, exclu" in page
    assert "l’écart-type de ces notes" in page
    assert 'data-label="Note pondérée"' in page and '<table class="stack">' in page
    assert page.index("Paul Girard") < page.index("Inès Martin") < page.index("Léa Roux")
    assert "Enregistrer la décision" not in page  # read-only


def test_a_juror_in_conflict_sees_that_row_masked_once_they_finished(town_a, in_town, scored):
    _, _, three, _ = scored["jurors"]
    MembershipFactory(territory=town_a, user=three.user, role=Role.AGENT)
    with in_town(town_a):
        for application in scored["call"].applications.exclude(pk=scored["ines"].pk):
            review(three, application, [5, 5, 5, 5])
    page = (
        logged_in_client(town_a, three.user)
        .get(f"/gestion/appels/{scored['call'].pk}/classement/")
        .content.decode()
    )
    assert "Vous avez déclaré un conflit d’intérêts : notes masquées." in page
    assert "6,85" not in page


def test_another_towns_staff_do_not_reach_the_ranking(town_b, scored):
    outsider = MembershipFactory(territory=town_b, role=Role.ADMIN).user
    response = logged_in_client(town_b, outsider).get(
        f"/gestion/appels/{scored['call'].pk}/classement/"
    )
    assert response.status_code == 404


def test_the_dashboard_shows_how_far_the_jurors_agreed(town_a, town_b, in_town):
    """Two applications scored by two jurors: within 2 points on one (7.0 and 8.0), 5
    points apart on the other (3.0 and 8.0): 50 %. Another town's call is not counted."""
    with in_town(town_b):
        other = CallFactory(status=CallStatus.CLOSED, title="Appel de B")
        seat = JurorFactory(call=other)
        review(seat, ApplicationFactory(call=other), [1, 1])
    with in_town(town_a):
        call = CallFactory(status=CallStatus.CLOSED, title="Appel de A")
        one, two = JurorFactory(call=call), JurorFactory(call=call)
        agreed, apart = ApplicationFactory(call=call), ApplicationFactory(call=call)
        review(one, agreed, [7, 7])
        review(two, agreed, [8, 8])
        review(one, apart, [3, 3])
        review(two, apart, [8, 8])
        ApplicationFactory(call=call)  # scored by nobody: not counted
        rows = call_rows()
    assert [(row.call.title, row.agreement) for row in rows] == [("Appel de A", 50)]
    member = MembershipFactory(territory=town_a, role=Role.AGENT).user
    page = logged_in_client(town_a, member).get("/gestion/tableau-de-bord/")
    assert "s’écartent de 2 points sur 10 au plus" in page.content.decode()
