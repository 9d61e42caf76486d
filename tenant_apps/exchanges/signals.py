"""A porteur who erases their data takes the team's words about them along: the
summaries and the names of outside participants of their demand's exchanges."""

from django.db.models.signals import post_save


def demand_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.erased_at is None:
        return
    from tenant_apps.exchanges.models import Exchange

    Exchange.objects.filter(demand=instance).exclude(summary="(effacé)").update(
        summary="(effacé)", others=""
    )


def connect():
    from tenant_apps.demands.models import Demand

    post_save.connect(demand_saved, sender=Demand, dispatch_uid="exchanges.demand_erased")
