"""Workflows of the partner network: joining a town, announcing demands to the partners
who want them (exactly once), digests, and the partners' one-click answers."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from shared_apps.referential.formats import french_number
from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.models import Demand
from tenant_apps.demands.services import team_to_notify
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.mailing.services import queue_email, queue_emails, render_email
from tenant_apps.network.enums import Answer, Frequency, MemberStatus
from tenant_apps.network.models import Alert, Broadcast, NetworkMember
from tenants.jobs import enqueue_for_town
from tenants.models import Territory

# Joining ----------------------------------------------------------------------------


def ask_to_join(partner):
    """A partner asks to join the town's network; the town's admins are told. An invited
    partner joins at once."""
    member, created = NetworkMember.objects.get_or_create(partner=partner)
    if member.status == MemberStatus.INVITED:
        member.status = MemberStatus.ACTIVE
        member.decided_at = timezone.now()
        member.save(update_fields=["status", "decided_at"])
        return member
    if not created and member.status in (MemberStatus.ACTIVE, MemberStatus.REQUESTED):
        return member
    member.status = MemberStatus.REQUESTED
    member.save(update_fields=["status"])
    town = Territory.objects.current()
    for staff in team_to_notify(town).filter(role="admin"):
        queue_email(
            f"network:{member.pk}:request:{member.created_at:%s}:{staff.user_id}",
            staff.user.email,
            "network/emails/join_request.txt",
            {"territory": town, "partner": partner, "url": town.url("/gestion/partenaires/")},
        )
    return member


def invite(partner, email, *, by):
    """The town invites a directory partner (or anyone, by email) to its network."""
    town = Territory.objects.current()
    if partner is not None:
        member, _ = NetworkMember.objects.get_or_create(
            partner=partner, defaults={"status": MemberStatus.INVITED}
        )
        if member.status == MemberStatus.ACTIVE:
            return member
        member.status, member.invited_email = MemberStatus.INVITED, email
        member.decided_by, member.decided_at = by, timezone.now()
        member.save()
        key = f"network:{member.pk}:invitation:{email}:{member.decided_at:%s}"
    else:
        member = None
        key = f"network:invitation:{email}:{timezone.now():%s}"
    queue_email(
        key,
        email,
        "network/emails/invitation.txt",
        {
            "territory": town,
            "partner": partner,
            "by": by,
            "url": town.url("/partenaires/inscription/"),
        },
    )
    return member


# Announcing demands -----------------------------------------------------------------


def request_broadcast(demand):
    """Called inside the transaction that qualifies (or saves) the demand."""
    broadcast, created = Broadcast.objects.get_or_create(demand=demand)
    if not created and broadcast.done_at:
        # Qualified again later: partners who joined since then hear about it too.
        broadcast.done_at = None
        broadcast.save(update_fields=["done_at"])
    enqueue_for_town(broadcast_demand, demand.pk)


def euros(amount):
    """1200 → '1 200 €'."""
    return f"{french_number(amount)} €"


def summary(demand):
    """What a partner may know of a demand before the town introduces the porteur:
    the project and the premises sought, never who the porteur is or their own words."""
    budget = f"{euros(demand.monthly_budget)} par mois" if demand.monthly_budget else "non précisé"
    areas = ", ".join(area.name for area in demand.areas.all()) or "toute la ville"
    rows = [
        ("Activité", f"{demand.activity} ({demand.get_activity_category_display()})"),
        ("Avancement", demand.get_stage_display()),
        ("Local recherché", demand.get_premises_kind_display()),
        ("Surface", f"de {demand.surface_min} à {demand.surface_max} m²"),
        ("Loyer", budget),
        ("Quartiers", areas),
    ]
    if demand.purchase_budget:
        rows.append(("Achat", f"jusqu’à {euros(demand.purchase_budget)}"))
    if demand.lease_kinds:
        rows.append(("Baux envisagés", ", ".join(demand.lease_kind_labels)))
    needs = [
        label
        for wanted, label in (
            (demand.needs_shop_window, "vitrine"),
            (demand.needs_step_free_access, "accès de plain-pied"),
        )
        if wanted
    ]
    if needs:
        rows.append(("Besoins", ", ".join(needs)))
    if demand.opening_date:
        rows.append(("Ouverture souhaitée", demand.opening_date.strftime("%m/%Y")))
    return rows


def unsubscribe_headers(town, member):
    return {
        "List-Unsubscribe": f"<{member.unsubscribe_url(town)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def alert_emails(town, demand, alerts, members):
    """The immediate alerts' emails, unsaved. The email is rendered once for the whole
    fan-out (the same demand for every partner), each alert's own links put in its copy
    in place of markers no typed text can hold (control characters are removed from
    what people type)."""
    immediate = [
        (alert, member)
        for alert, member in zip(alerts, members, strict=True)
        if alert.frequency == Frequency.IMMEDIATE
    ]
    if not immediate:
        return []
    marker = secrets.token_hex(8)
    slots = {name: f"\x00{marker}:{name}\x00" for name in (*Answer.values, "stop_all")}
    template = render_email(
        "",
        "",
        "network/emails/alert.txt",
        {
            "territory": town,
            "demand": demand,
            "summary": summary(demand),
            "answers": {answer: slots[answer] for answer in Answer.values},
            "portal_url": town.url("/partenaires/"),
            "stop_all_url": slots["stop_all"],
        },
    )
    emails = []
    for alert, member in immediate:
        links = alert.answer_urls(town)
        links["stop_all"] = member.unsubscribe_url(town)
        body = template.body
        for name, slot in slots.items():
            body = body.replace(slot, links[name])
        headers = {
            "List-Unsubscribe": f"<{links['stop_all']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        emails += [
            OutboundEmail(
                key=f"alert:{alert.pk}:{email}",
                to=email,
                subject=template.subject,
                body=body,
                headers=headers,
            )
            for email in member.partner.recipients
        ]
    return emails


def broadcast_demand(demand_id):
    """Alert every matching partner once. All in one transaction, under a lock on the
    demand's Broadcast row: a second run, a retry or a run after a killed worker finds
    either nothing done (and does it all) or everything done (and does nothing)."""
    town = Territory.objects.current()
    with transaction.atomic():
        broadcast = (
            Broadcast.objects.select_for_update()
            .filter(demand_id=demand_id, done_at__isnull=True)
            .first()
        )
        if broadcast is None:
            return 0
        demand = Demand.objects.prefetch_related("areas").get(pk=demand_id)
        alerts = []
        if demand.is_open and not demand.erased_at:
            already = Alert.objects.filter(demand=demand).values("partner_id")
            members = list(
                NetworkMember.objects.matching(demand)
                .exclude(partner_id__in=already)
                .select_related("partner")
                .prefetch_related("partner__members__user")
            )
            now = timezone.now()
            alerts = Alert.objects.bulk_create(
                [
                    Alert(
                        partner=member.partner,
                        demand=demand,
                        frequency=member.frequency,
                        created_at=now,
                        sent_at=now if member.frequency == Frequency.IMMEDIATE else None,
                    )
                    for member in members
                ]
            )
            queue_emails(alert_emails(town, demand, alerts, members))
            if alerts:
                demand.record(
                    EventKind.PARTNERS_ALERTED,
                    f"{len(alerts)} partenaire(s) alerté(s)",
                    actor="BoursOloco",
                    visible_to_applicant=False,
                )
        broadcast.done_at = timezone.now()
        broadcast.alerted += len(alerts)
        broadcast.save(update_fields=["done_at", "alerted"])
    return len(alerts)


def broadcast_pending():
    """Periodic catch-up: announcements whose job was lost (Redis down, worker killed)."""
    ids = Broadcast.objects.filter(
        done_at__isnull=True, requested_at__lt=timezone.now() - timedelta(minutes=1)
    ).values_list("demand_id", flat=True)
    return sum(broadcast_demand(demand_id) for demand_id in list(ids[:200]))


def send_digests(frequency):
    """One email per partner gathering the alerts of the day (or week) still open."""
    town = Territory.objects.current()
    with transaction.atomic():
        pending = list(
            Alert.objects.awaiting_digest(frequency)
            .select_for_update(of=("self",))
            .select_related("demand", "partner")
            .prefetch_related("demand__areas")
            .order_by("partner_id", "created_at")
        )
        by_partner = {}
        for alert in pending:
            by_partner.setdefault(alert.partner_id, []).append(alert)
        members = {
            member.partner_id: member
            for member in NetworkMember.objects.filter(partner_id__in=by_partner).prefetch_related(
                "partner__members__user"
            )
        }
        drafts, told, now = [], [], timezone.now()
        for partner_id, alerts in by_partner.items():
            member = members.get(partner_id)
            if member is None or not member.wants_alerts:
                continue  # left, declined, hidden or unsubscribed since: nothing is sent
            # Still open, and still wanted by the partner's settings as they are now.
            wanted = set(
                member.open_demands()
                .filter(pk__in=[a.demand_id for a in alerts])
                .values_list("pk", flat=True)
            )
            still_open = [a for a in alerts if a.demand_id in wanted]
            if not still_open:
                continue
            told += still_open
            context = {
                "territory": town,
                "frequency": Frequency(frequency),
                "items": [
                    {
                        "demand": a.demand,
                        "summary": summary(a.demand),
                        "answers": a.answer_urls(town),
                    }
                    for a in still_open
                ],
                "portal_url": town.url("/partenaires/"),
                "stop_all_url": member.unsubscribe_url(town),
            }
            drafts += [
                render_email(
                    # Each alert goes in one digest only: its first alert names it.
                    f"digest:{frequency}:{partner_id}:{still_open[0].pk}:{email}",
                    email,
                    "network/emails/digest.txt",
                    context,
                    unsubscribe_headers(town, member),
                )
                for email in member.partner.recipients
            ]
        told_ids = {alert.pk for alert in told}
        Alert.objects.filter(pk__in=told_ids).update(sent_at=now)
        # Alerts nobody will receive (demand closed meanwhile, partner gone) are dropped:
        # the partner was never told, and would be if the demand were announced again.
        Alert.objects.filter(pk__in={a.pk for a in pending} - told_ids).delete()
        queue_emails(drafts)
    return len(drafts)


def send_daily_digests():
    return send_digests(Frequency.DAILY)


def send_weekly_digests():
    return send_digests(Frequency.WEEKLY)


# Answers ----------------------------------------------------------------------------


@transaction.atomic
def record_answer(alert, answer):
    """Record a partner's answer on the demand's timeline. The same answer twice (a
    replayed link) records nothing; a different one replaces it. Returns True if new."""
    alert = Alert.objects.select_for_update().select_related("demand", "partner").get(pk=alert.pk)
    if alert.answer == answer:
        return False
    alert.answer, alert.answered_at = answer, timezone.now()
    alert.save(update_fields=["answer", "answered_at"])
    demand = alert.demand
    demand.record(
        EventKind.PARTNER_ANSWERED,
        Answer(answer).label,
        actor=alert.partner.name[:100],
        visible_to_applicant=False,
    )
    if answer == Answer.UNSUBSCRIBE:
        member = NetworkMember.objects.filter(partner=alert.partner).first()
        if member:
            member.stop_alerts_for(demand.premises_kind)
    # « J’ai peut-être un local » reaches whoever follows the demand (the whole team when
    # nobody does) through the notifications app, which reads this event: in the app,
    # and by email (positive_answer.txt) for who chose it.
    return True
