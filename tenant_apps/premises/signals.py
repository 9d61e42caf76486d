"""Keep a demand's stored matches current when the demand changes (its page reads them
live; the stored ones feed the premises pages and the new-matches list). The refresh runs
in a job once the change commits: a porteur's submission does not wait for it."""

from django.db.models.signals import m2m_changed, post_save

from tenants.jobs import enqueue_for_town

REFRESH = "tenant_apps.premises.matching.refresh_for_demand"

MATCHED_FIELDS = {
    "status",
    "premises_kind",
    "surface_min",
    "surface_max",
    "monthly_budget",
    "purchase_budget",
    "lease_kinds",
    "needs_shop_window",
    "needs_step_free_access",
}


def demand_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is None or MATCHED_FIELDS & set(update_fields):
        enqueue_for_town(REFRESH, instance.pk)


def demand_areas_changed(sender, instance, action, reverse=False, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        enqueue_for_town(REFRESH, instance.pk)


def connect():
    from tenant_apps.demands.models import Demand

    post_save.connect(demand_saved, sender=Demand, dispatch_uid="premises.demand_saved")
    m2m_changed.connect(
        demand_areas_changed, sender=Demand.areas.through, dispatch_uid="premises.demand_areas"
    )
