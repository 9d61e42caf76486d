"""Hooks of the correspondence: a new or migrated town gets the ready email templates
(once); an erased demand loses its emails' contents and files."""

import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver
from django_tenants.utils import schema_context, schema_exists

from tenant_apps.correspondence.models import (
    Attachment,
    DemandEmail,
    EmailTemplate,
    ReadyTemplates,
)
from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.models import DemandEvent
from tenant_apps.mailing.models import OutboundEmail
from tenants.models import Territory

logger = logging.getLogger(__name__)


@receiver(post_save, sender=Territory)
def give_new_town_its_templates(sender, instance, created, **kwargs):
    # A town's schema is replayed from a DDL snapshot, without the data migrations' rows:
    # the ready templates are written once the new schema is committed.
    if not created or instance.schema_name == settings.PUBLIC_SCHEMA_NAME:
        return
    schema_name = instance.schema_name

    def seed():
        if schema_exists(schema_name):
            with schema_context(schema_name):
                EmailTemplate.objects.add_ready()

    transaction.on_commit(seed, robust=True)


@receiver(post_migrate)
def give_migrated_town_its_templates(sender, app_config=None, **kwargs):
    # Towns that existed before this app get the ready templates when migrate_schemas
    # migrates them (town migrations hold no data: tests/test_layout.py).
    if app_config is None or app_config.label != "correspondence":
        return
    if connection.schema_name == settings.PUBLIC_SCHEMA_NAME:
        return
    if ReadyTemplates._meta.db_table not in connection.introspection.table_names():
        return
    EmailTemplate.objects.add_ready()


@receiver(post_save, sender=DemandEvent)
def forget_erased_correspondence(sender, instance, created, raw=False, **kwargs):
    """Erasing a demand empties its emails and deletes the files its replies brought."""
    if not created or raw or instance.kind != EventKind.ERASED:
        return
    emails = DemandEmail.objects.filter(demand_id=instance.demand_id)
    files = list(Attachment.objects.filter(email__in=emails))
    for item in files:
        item.path.unlink(missing_ok=True)
    Attachment.objects.filter(pk__in=[item.pk for item in files]).delete()
    emails.update(subject="(effacé)", body="", from_address="", refused_files=[])
    # The demand's erasure empties its outbox rows but keeps their headers: a partner's
    # copy names the porteur in Cc.
    OutboundEmail.objects.filter(key__startswith=f"demand:{instance.demand_id}:courriel:").update(
        headers={}
    )
