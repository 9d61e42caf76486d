"""Blind scoring, enforced on the server: a juror scores once the call is closed, keeps a
draft, submits after a confirmation (then locked), and sees the others' scores and
comments of an application only once theirs are submitted — on every page, by direct
requests too. A declared conflict excludes the juror from the application."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from shared_apps.accounts.enums import Role
from tenant_apps.calls.enums import CallStatus
from tenant_apps.jury.models import Review
from tenant_apps.jury.services import close_past_deadlines
from tests.conftest import logged_in_client
from tests.factories import MembershipFactory
from tests.tenant_apps.calls.factories import PDF, ApplicationFactory, CallFactory
from tests.tenant_apps.jury.factories import JurorFactory, review

pytestmark = pytest.mark.django_db

SECRET_COMMENT = "Commentaire secret du banquier"


@pytest.fixture
def jury(town_a, in_town):
    """A closed call (Faisabilité 50 %, Motivation 50 %), two applications, two jurors;
    the banker has submitted on the first application."""
    with in_town(town_a):
        call = CallFactory(status=CallStatus.CLOSED)
        first = ApplicationFactory(call=call, name="Inès Martin")
        second = ApplicationFactory(call=call, name="Paul Girard")
        banker = JurorFactory(call=call)
        colleague = JurorFactory(call=call, organisation="")
        review(banker, first, [9, 7], comment=SECRET_COMMENT)
        criteria = list(call.criteria.all())
    return {
        "criteria": criteria,
        "call": call,
        "first": first,
        "second": second,
        "banker": banker,
        "me": colleague,
    }


def url(jury, application="first", tail=""):
    return f"/gestion/jury/{jury['call'].pk}/candidatures/{jury[application].pk}/{tail}"


def grid(jury, feasibility, motivation, comment="", action="brouillon"):
    criteria = jury["criteria"]
    return {
        f"critere_{criteria[0].pk}": feasibility,
        f"critere_{criteria[1].pk}": motivation,
        "comment": comment,
        "action": action,
    }


def test_a_juror_does_not_see_the_others_scores_before_submitting_their_own(town_a, jury):
    client = logged_in_client(town_a, jury["me"].user)
    page = client.get(url(jury)).content.decode()
    assert "Notation à l’aveugle" in page
    assert SECRET_COMMENT not in page and "8,0 / 10" not in page
    # Saving a draft does not lift the blind either.
    client.post(url(jury), grid(jury, 5, 6, "Mon avis"))
    assert SECRET_COMMENT not in client.get(url(jury)).content.decode()
    # Nor does the ranking, asked directly, nor the decision page.
    call = jury["call"].pk
    for page in (f"/gestion/appels/{call}/classement/", f"/gestion/appels/{call}/decision/"):
        response = client.get(page)
        assert response.status_code == 403 and SECRET_COMMENT not in response.content.decode()


def test_a_staff_juror_sees_the_ranking_only_once_every_application_is_submitted(
    town_a, in_town, jury
):
    MembershipFactory(territory=town_a, user=jury["me"].user, role=Role.AGENT)
    client = logged_in_client(town_a, jury["me"].user)
    ranking = f"/gestion/appels/{jury['call'].pk}/classement/"
    assert client.get(ranking).status_code == 403
    with in_town(town_a):
        review(jury["me"], jury["first"], [5, 5])
    assert client.get(ranking).status_code == 403  # the second is still to score
    with in_town(town_a):
        review(jury["me"], jury["second"], [5, 5])
    assert client.get(ranking).status_code == 200


def test_a_juror_drafts_then_submits_after_a_confirmation_then_sees_the_others(
    town_a, in_town, jury
):
    client = logged_in_client(town_a, jury["me"].user)
    assert client.post(url(jury), grid(jury, 6, "", "Bon projet")).status_code == 302
    page = client.post(url(jury), grid(jury, 6, "", "Bon projet", action="soumettre"))
    assert page.status_code == 400
    assert "Notez chaque critère avant de soumettre : Motivation." in page.content.decode()
    confirm = client.post(url(jury), grid(jury, 6, 8, "Bon projet", action="soumettre"))
    assert "Oui, soumettre mes notes" in confirm.content.decode()
    with in_town(town_a):
        mine = Review.objects.get(juror=jury["me"])
        assert mine.submitted_at is None
        assert sorted(mine.scores.values_list("value", flat=True)) == [6, 8]
    client.post(url(jury, tail="soumettre/"), {"confirmation": "oui"})
    with in_town(town_a):
        mine.refresh_from_db()
        assert mine.submitted_at is not None
    page = client.get(url(jury)).content.decode()
    assert SECRET_COMMENT in page and "8,0 / 10" in page  # the banker's (9 + 7) / 2
    # Locked: a later post changes nothing.
    client.post(url(jury), grid(jury, 0, 0, "Changé"))
    with in_town(town_a):
        mine.refresh_from_db()
        assert mine.comment == "Bon projet"
        assert sorted(mine.scores.values_list("value", flat=True)) == [6, 8]


def test_scores_off_the_scale_get_a_french_message_and_keep_what_was_typed(town_a, jury):
    client = logged_in_client(town_a, jury["me"].user)
    response = client.post(url(jury), grid(jury, 11, "sept", "Mon commentaire"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "La note va de 0 à 10." in page
    assert "Saisissez un nombre entier de 0 à 10." in page
    assert "Mon commentaire" in page


def test_scoring_opens_only_once_the_call_is_closed(town_a, in_town):
    with in_town(town_a):
        call = CallFactory()
        application = ApplicationFactory(call=call)
        seat = JurorFactory(call=call)
        criteria = list(call.criteria.all())
    client = logged_in_client(town_a, seat.user)
    page = f"/gestion/jury/{call.pk}/candidatures/{application.pk}/"
    assert "La notation ouvre à la clôture" in client.get(page).content.decode()
    data = {f"critere_{c.pk}": 5 for c in criteria} | {"action": "brouillon"}
    client.post(page, data)
    with in_town(town_a):
        assert not Review.objects.filter(scores__isnull=False).exists()
        # Once the deadline passes, the pages treat the call as closed, and the job
        # writes it down.
        call.deadline = timezone.now() - timedelta(minutes=1)
        call.save()
    client.post(page, data)
    with in_town(town_a):
        assert Review.objects.get().scores.count() == 2
        assert close_past_deadlines() == 1
        assert close_past_deadlines() == 0
        call.refresh_from_db()
        assert call.status == CallStatus.CLOSED


def test_staff_close_a_call_by_hand_after_a_confirmation(town_a, in_town):
    agent = MembershipFactory(territory=town_a, role=Role.AGENT).user
    reader = MembershipFactory(territory=town_a, role=Role.READ_ONLY).user
    with in_town(town_a):
        call = CallFactory()
    close = f"/gestion/appels/{call.pk}/cloturer/"
    assert logged_in_client(town_a, reader).post(close, {"confirmation": "oui"}).status_code == 403
    client = logged_in_client(town_a, agent)
    assert "Oui, clore l’appel" in client.post(close).content.decode()
    with in_town(town_a):
        call.refresh_from_db()
        assert call.status == CallStatus.PUBLISHED
    client.post(close, {"confirmation": "oui"})
    with in_town(town_a):
        call.refresh_from_db()
        assert call.status == CallStatus.CLOSED
        assert not call.accepts_applications


def test_a_conflict_excludes_the_juror_from_scoring_and_seeing_the_application(
    town_a, in_town, jury
):
    client = logged_in_client(town_a, jury["me"].user)
    response = client.post(url(jury, tail="conflit/"), {"reason": ""})
    assert response.status_code == 400
    assert "Indiquez en une phrase la raison du conflit." in response.content.decode()
    assert '<details class="fr-mt-3w" open>' in response.content.decode()
    reason = "Candidate de ma famille"
    confirm = client.post(url(jury, tail="conflit/"), {"reason": reason})
    assert "Oui, je déclare un conflit" in confirm.content.decode()
    client.post(url(jury, tail="conflit/"), {"reason": reason, "confirmation": "oui"})
    with in_town(town_a):
        mine = Review.objects.get(juror=jury["me"])
        assert (mine.conflict, mine.conflict_reason) == (True, reason)
    page = client.get(url(jury)).content.decode()
    assert "conflit d’intérêts" in page and SECRET_COMMENT not in page
    # No score is taken, submitted or not; the plan is refused.
    client.post(url(jury), grid(jury, 10, 10))
    client.post(url(jury, tail="soumettre/"), {"confirmation": "oui"})
    with in_town(town_a):
        mine.refresh_from_db()
        assert mine.submitted_at is None and not mine.scores.exists()
    assert client.get(url(jury, tail="plan-d-affaires/")).status_code == 403


def test_the_business_plan_is_served_privately_to_the_calls_jurors_only(
    town_a, in_town, jury, settings
):
    with in_town(town_a):
        path = jury["first"].plan_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(PDF)
        stranger = JurorFactory()  # on another call's jury
    response = logged_in_client(town_a, jury["me"].user).get(url(jury, tail="plan-d-affaires/"))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert not str(path).startswith(str(settings.MEDIA_ROOT)) and Path(path).exists()
    stranger_page = f"/gestion/jury/{stranger.call.pk}/candidatures/{jury['first'].pk}/"
    other = logged_in_client(town_a, stranger.user)
    assert other.get(stranger_page + "plan-d-affaires/").status_code == 404
    assert other.get(url(jury, tail="plan-d-affaires/")).status_code == 404
