"""Jobs of the installed businesses: each business's administrative state, checked in the
Sirene directory ("Recherche d'entreprises") once a month.

The scheduler runs `check_businesses` every day in each town; only the businesses whose
last successful check is a month old are asked about, so an outage or a « slow down »
(429) only delays them to the next day, with their last known state kept."""

import logging
from dataclasses import dataclass

from django.utils import timezone

from shared_apps.referential.entreprises import Unavailable, find_establishment
from tenant_apps.installations.models import Business

logger = logging.getLogger(__name__)

# About two minutes of the API's 7 requests a second; the rest waits for the next run.
MAX_CHECKS_PER_RUN = 1000


@dataclass
class CheckRun:
    checked: int = 0
    closed: int = 0
    failed: int = 0


def check_businesses(now=None):
    """Ask the directory about each business due for its monthly check, politely (the
    client waits its turn); stop at the first failure: the API is down or asks us to
    slow down, and the next run tries again. Safe to run twice (a checked business is
    not due any more)."""
    now = now or timezone.now()
    run = CheckRun()
    for business in Business.objects.due_for_check(now)[:MAX_CHECKS_PER_RUN]:
        was_active = business.is_active
        try:
            found = find_establishment(business.siret)
        except Unavailable as error:
            business.check_failed(str(error), now)
            run.failed += 1
            logger.warning("Vérification des entreprises interrompue : %s", error)
            break
        business.take_directory_answer(found, now)
        run.checked += 1
        run.closed += was_active and not business.is_active
    logger.info(
        "Entreprises vérifiées : %s (dont %s fermée(s)), %s échec(s)",
        run.checked,
        run.closed,
        run.failed,
    )
    return run


def check_business(pk):
    """One business, just recorded: its state from the directory at once (enqueued once
    the recording commits). Failing, it waits for the daily run."""
    business = Business.objects.filter(pk=pk).first()
    if business is None:
        return
    try:
        found = find_establishment(business.siret)
    except Unavailable as error:
        business.check_failed(str(error))
        return
    business.take_directory_answer(found)
