"""Telling people of a call when it is published: the porteurs whose open demand fits its
premises and who asked for premises alerts (tenant_apps.applicant_alerts: same opt-in,
same matching, same unsubscribe link), and the network's partners who take alerts of this
kind of premises (tenant_apps.network: same settings and unsubscribe link).

Once each: every email has its outbox key (`demand:<id>:call:<id>` under the demand's
prefix, so that an erasure empties it; `call:<id>:partner:<id>:<email>`), and the job
writes only the keys not yet there, under a lock on the call. A second run, a retry or a
call published again after a change tells nobody twice."""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from tenant_apps.applicant_alerts.models import Subscription
from tenant_apps.applicant_alerts.services import SUBSCRIBED
from tenant_apps.calls.models import Call
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.mailing.services import queue_emails, render_email
from tenant_apps.network.models import NetworkMember
from tenant_apps.network.services import unsubscribe_headers
from tenant_apps.premises import matching
from tenant_apps.townsite.models import TownSettings
from tenants.models import Territory

OF_CALLS_PREMISES = "AND p.id = %(premises)s"


def fitting_demand_ids(premises_id, min_score):
    """The subscribed open demands the premises fits, by the matching's own SELECT."""
    sql = matching.scored(
        OF_CALLS_PREMISES, SUBSCRIBED.format(subscriptions=Subscription._meta.db_table)
    )
    values = matching.params(premises=premises_id, keep=matching.EVERYTHING)
    return [
        demand_id for demand_id, _, score, *_ in matching.run(sql, values) if score >= min_score
    ]


def porteur_drafts(town, call, context):
    subscriptions = (
        Subscription.objects.reachable()
        .filter(
            demand_id__in=fitting_demand_ids(
                call.premises_id, TownSettings.load().applicant_alert_min_score
            )
        )
        .select_related("demand__applicant")
        .order_by("pk")
    )
    for subscription in subscriptions:
        demand = subscription.demand
        unsubscribe_url = subscription.unsubscribe_url(town)
        followup_url = town.url(demand.followup_path())
        yield render_email(
            f"demand:{demand.pk}:call:{call.pk}",
            demand.applicant.email,
            "calls/emails/call_to_porteur.txt",
            {
                **context,
                "demand": demand,
                "apply_url": f"{followup_url}appels/{call.pk}/",
                "followup_url": followup_url,
                "unsubscribe_url": unsubscribe_url,
            },
            {
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


def partner_drafts(town, call, context):
    members = (
        NetworkMember.objects.active()
        .filter(alerts_enabled=True)
        .filter(Q(premises_kinds=[]) | Q(premises_kinds__contains=[call.premises.kind]))
        .select_related("partner")
        .prefetch_related("partner__members__user")
        .order_by("pk")
    )
    for member in members:
        for email in member.partner.recipients:
            yield render_email(
                f"call:{call.pk}:partner:{member.partner_id}:{email}",
                email,
                "calls/emails/call_to_partner.txt",
                {
                    **context,
                    "partner": member.partner,
                    "stop_all_url": member.unsubscribe_url(town),
                },
                unsubscribe_headers(town, member),
            )


def announce_call(call_id):
    """Tell the fitting porteurs and the network's partners of a published call, once
    each. Returns the emails queued by this run."""
    town = Territory.objects.current()
    with transaction.atomic():
        call = (
            Call.objects.select_for_update(of=("self",))
            .select_related("premises", "premises__area")
            .filter(pk=call_id)
            .first()
        )
        if call is None or not call.accepts_applications:
            return 0
        context = {
            "territory": town,
            "call": call,
            "call_url": town.url(reverse("calls:detail", args=[call.pk])),
        }
        drafts = [*porteur_drafts(town, call, context), *partner_drafts(town, call, context)]
        sent = set(
            OutboundEmail.objects.filter(key__in=[draft.key for draft in drafts]).values_list(
                "key", flat=True
            )
        )
        new = [draft for draft in drafts if draft.key not in sent]
        queue_emails(new)
    return len(new)
