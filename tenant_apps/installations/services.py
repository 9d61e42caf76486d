"""Recording a demand's installed business: the business, the demand's timeline, and its
first check in the directory once committed."""

from django.db import IntegrityError, transaction

from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.models import Demand
from tenant_apps.installations.enums import BusinessState
from tenant_apps.installations.tasks import check_business
from tenants.jobs import enqueue_for_town


class SiretTaken(Exception):
    """Another demand recorded the same SIRET at the same moment."""


def record_business(demand, form, user):
    """Save the form's business for `demand` (a new one or a correction); the caller holds
    the demand's lock. Raises SiretTaken if a concurrent recording took the SIRET."""
    created = form.instance.pk is None
    business = form.save(commit=False)
    business.demand = demand
    if created:
        business.recorded_by = user
    elif "siret" in form.changed_data:
        # Another establishment: what the directory said of the old one no longer holds.
        business.state, business.closed_on = BusinessState.ACTIVE, None
        business.checked_at, business.last_error, business.last_error_at = None, "", None
    try:
        with transaction.atomic():
            business.save()
    except IntegrityError as error:
        raise SiretTaken from error
    if not demand.siret:
        Demand.objects.filter(pk=demand.pk).update(siret=business.siret)
    premises = f", local {business.premises.address}" if business.premises else ""
    demand.record(
        EventKind.BUSINESS_RECORDED,
        f"{'' if created else 'Corrigée : '}{business.name}, SIRET {business.siret}, "
        f"ouverte le {business.opened_on:%d/%m/%Y}{premises}",
        user=user,
        visible_to_applicant=False,
    )
    if created or "siret" in form.changed_data:
        enqueue_for_town(check_business, business.pk)
    return business
