"""The porteurs' daily email of the premises proposed to them (run in a town's schema)."""

from itertools import groupby

from django.db import transaction
from django.utils import timezone

from tenant_apps.demands.services import demand_email_context
from tenant_apps.mailing.services import queue_emails, render_email
from tenant_apps.proposals.models import Proposal
from tenants.models import Territory


def announce_proposals():
    """One email per porteur with every premises proposed to them since the last one.
    Exactly once: the emails are written and the proposals marked in one transaction,
    under a lock on those proposals (a second run waits, then finds nothing to do); a
    worker killed after the commit leaves the emails to the outbox's catch-up."""
    town = Territory.objects.current()
    with transaction.atomic():
        proposals = list(
            Proposal.objects.to_announce()
            .select_for_update(of=("self",))
            .select_related("demand__applicant", "premises__area", "partner")
            .order_by("demand_id", "created_at", "pk")
        )
        drafts = []
        for _, grouped in groupby(proposals, key=lambda proposal: proposal.demand_id):
            grouped = list(grouped)
            demand = grouped[0].demand
            drafts.append(
                render_email(
                    # The first proposal names the email: it is in one email only.
                    f"demand:{demand.pk}:proposals:{grouped[0].pk}",
                    demand.applicant.email,
                    "proposals/emails/porteur_proposals.txt",
                    demand_email_context(town, demand, proposals=grouped),
                )
            )
        Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(emailed_at=timezone.now())
        queue_emails(drafts)
    return len(drafts)
