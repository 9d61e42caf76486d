"""The trials' part of the demo: the finished call's selected porteur runs their trial,
started two months ago, its first milestone done with its notes. Run inside the town's
schema, after the calls' demo."""

from django.utils import timezone

from tenant_apps.calls.enums import CallStatus, Decision
from tenant_apps.calls.models import Application
from tenant_apps.trials.models import add_months
from tenant_apps.trials.services import start_trial

FIRST_MILESTONE_NOTE = (
    "Ouverture réussie, vitrine soignée. Chiffre d’affaires du premier mois un peu sous le "
    "prévisionnel (–10 %) ; ateliers du samedi complets. Prochain point : le réseau "
    "d’accompagnement revoit les prix avec elle."
)


def run_one(user):
    """The running trial of the decided call's selected application (none if it has one)."""
    application = (
        Application.objects.filter(
            call__status=CallStatus.DECIDED, decision=Decision.SELECTED, trial__isnull=True
        )
        .select_related("call", "call__premises", "demand")
        .first()
    )
    if application is None:
        return None
    starts_on = add_months(timezone.localdate().replace(day=1), -2)
    trial = start_trial(application, by=user, starts_on=starts_on)
    first = trial.milestones.select_related("task").get(months=1)
    first.task.mark_done(by=user)
    first.write_note(FIRST_MILESTONE_NOTE)
    return trial
