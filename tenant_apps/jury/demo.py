"""The jury's part of the demo: for a call with applications (Draguignan's finished call),
two jurors — a member of the team and an outside banker — score every application with a
comment, and the decision is recorded (the best selected, the next on the waiting list,
the others declined). Run inside the town's schema."""

import random

from django.utils import timezone

from shared_apps.accounts.verification import verified_user
from tenant_apps.calls.enums import CallStatus, Decision
from tenant_apps.jury import services
from tenant_apps.jury.models import Juror, Review, Score

BANKER = ("conseillere.pro@banque-demo.example.fr", "Claire", "Vidal", "Banque du Var (démo)")
DECIDED_BASE = {Decision.SELECTED: 8, Decision.WAITING: 6, Decision.DECLINED: 4}
COMMENTS = [
    "Projet solide, plan de financement prudent ; l’emplacement lui convient.",
    "Belle motivation ; le chiffre d’affaires prévu me semble optimiste la première année.",
    "Savoir-faire reconnu, mais peu d’apport : l’accompagnement sera essentiel.",
    "Concept original pour le centre-ville ; à sécuriser sur les horaires d’ouverture.",
]


def score_and_decide(call, team_member):
    """Seat `team_member` and the demo banker on the call's jury, score and comment every
    application (the same figures at each run), close the call if needed and record the
    decision by `team_member`. Returns the ranking. Safe to run twice."""
    email, first_name, last_name, organisation = BANKER
    banker = verified_user(email, first_name=first_name, last_name=last_name)
    seats = [
        Juror.objects.get_or_create(call=call, user=user, defaults=defaults)[0]
        for user, defaults in [
            (team_member, {"invited_by": team_member}),
            (banker, {"invited_by": team_member, "organisation": organisation}),
        ]
    ]
    if call.status == CallStatus.PUBLISHED:
        services.close(call)
    criteria = list(call.criteria.all())
    rng = random.Random(call.pk)
    for application in call.applications.all():
        # A call decided beforehand (the calls' demo) is scored as it was decided.
        base = DECIDED_BASE.get(application.decision) or rng.randint(4, 9)
        for seat in seats:
            review, created = Review.objects.get_or_create(
                juror=seat,
                application=application,
                defaults={"comment": rng.choice(COMMENTS), "submitted_at": timezone.now()},
            )
            if created:
                Score.objects.bulk_create(
                    Score(
                        review=review, criterion=c, value=min(10, max(0, base + rng.randint(-2, 2)))
                    )
                    for c in criteria
                )
    rows = services.ranking(call)
    decisions = {}
    for rank, row in enumerate(rows):
        decision = [Decision.SELECTED, Decision.WAITING][rank] if rank < 2 else Decision.DECLINED
        reason = "D’autres projets ont obtenu une meilleure note du jury sur la faisabilité."
        decisions[row.application] = (decision, reason if decision == Decision.DECLINED else "")
    if call.status != CallStatus.DECIDED:
        services.decide(call, decisions, by=team_member)
    return rows
