"""A premises that enters the public catalogue (published and available, from wherever it
is saved: back-office, partner portal, state change, CSV import) is announced to the
porteurs who asked. The announcement is written in the same transaction as the save, so
that it is never lost; a job does it once the save commits."""

from django.db.models.signals import post_save, pre_save

from tenant_apps.premises.enums import AVAILABLE_STATES


def is_in_catalogue(premises):
    return premises.is_published and premises.state in AVAILABLE_STATES


def premises_saving(sender, instance, raw=False, **kwargs):
    # What is stored, not what the instance was loaded with: forms change the instance
    # before saving it, and a premises may be saved twice in one request.
    instance._was_in_catalogue = (
        not raw
        and instance.pk is not None
        and sender.objects.published().filter(pk=instance.pk).exists()
    )


def premises_saved(sender, instance, raw=False, **kwargs):
    if raw or getattr(instance, "_was_in_catalogue", True) or not is_in_catalogue(instance):
        return
    from tenant_apps.applicant_alerts.services import request_announcement

    request_announcement(instance)


def connect():
    from tenant_apps.premises.models import Premises

    pre_save.connect(premises_saving, sender=Premises, dispatch_uid="applicant_alerts.saving")
    post_save.connect(premises_saved, sender=Premises, dispatch_uid="applicant_alerts.saved")
