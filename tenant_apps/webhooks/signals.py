"""Where a town's events happen, heard without touching the apps that make them: the
demands' history (a new demand, a change of status), the porteurs' answers to proposals,
the premises entering the catalogue or let, and the calls decided. Payloads carry no
personal data: an integrator reads the rest through the API, with a token that allows it."""

from django.db.models.signals import post_save, pre_save

from tenant_apps.demands.enums import EventKind
from tenant_apps.premises.enums import AVAILABLE_STATES, PremisesState
from tenant_apps.proposals.enums import Answer
from tenant_apps.webhooks.enums import EventType
from tenant_apps.webhooks.services import emit


def demand_data(demand):
    return {
        "reference": demand.reference,
        "status": demand.status,
        "activity_category": demand.activity_category,
        "premises_kind": demand.premises_kind,
        "created_at": demand.created_at,
    }


def demand_event_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    if instance.kind == EventKind.SUBMITTED:
        demand = instance.demand
        # Read after the commit: the reference is numbered last in the submission.
        emit(
            EventType.DEMAND_CREATED,
            lambda: {"demand": demand_data(refreshed(demand))},
            after_commit=True,
        )
    elif instance.kind == EventKind.STATUS_CHANGED:
        event = instance
        emit(
            EventType.DEMAND_STATUS_CHANGED,
            lambda: {
                "demand": demand_data(event.demand),
                "from_status": event.from_status,
                "to_status": event.to_status,
                "changed_at": event.created_at,
            },
        )


def refreshed(instance):
    instance.refresh_from_db()
    return instance


def proposal_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """An answer is saved by Proposal.record_answer (with `answered_at`)."""
    if raw or created or instance.answer == Answer.PENDING:
        return
    if update_fields is None or "answered_at" not in update_fields:
        return
    proposal = instance
    emit(
        EventType.PROPOSAL_ANSWERED,
        {
            "proposal": {
                "id": proposal.pk,
                "demand_reference": proposal.demand.reference,
                "premises_id": proposal.premises_id,
                "origin": proposal.origin,
                "answer": proposal.answer,
                "reason": proposal.reason,
                "answered_at": proposal.answered_at,
            }
        },
    )


def in_catalogue(is_published, state):
    return bool(is_published) and state in AVAILABLE_STATES


def premises_saving(sender, instance, raw=False, **kwargs):
    """Remember whether the premises was in the public catalogue before this save."""
    if raw:
        return
    before = None
    if instance.pk:
        before = type(instance).objects.filter(pk=instance.pk).values("is_published", "state")
        before = before.first()
    instance._webhooks_was_in_catalogue = bool(before) and in_catalogue(**before)


def premises_data(premises):
    return {
        "id": premises.pk,
        "address": premises.address,
        "kind": premises.kind,
        "surface": premises.surface,
        "state": premises.state,
        "monthly_rent": premises.monthly_rent,
        "sale_price": premises.sale_price,
    }


def premises_saved(sender, instance, raw=False, **kwargs):
    if raw or getattr(instance, "_webhooks_was_in_catalogue", True):
        return
    if in_catalogue(instance.is_published, instance.state):
        emit(EventType.PREMISES_PUBLISHED, {"premises": premises_data(instance)})


def premises_state_changed(sender, instance, created, raw=False, **kwargs):
    if raw or not created or instance.to_state not in (PremisesState.LET, PremisesState.SOLD):
        return
    emit(
        EventType.PREMISES_LET,
        {
            "premises": premises_data(instance.premises),
            "from_state": instance.from_state,
            "changed_at": instance.changed_at,
            "vacancy_days": instance.vacancy_days,
        },
    )


def call_was_decided(sender, call, **kwargs):
    """Sent by the calls app once the call's decisions are recorded (after commit)."""
    decisions = {}
    for decision in call.applications.values_list("decision", flat=True):
        decisions[decision] = decisions.get(decision, 0) + 1
    emit(
        EventType.CALL_DECIDED,
        {
            "call": {
                "id": call.pk,
                "title": call.title,
                "kind": call.kind,
                "premises_id": call.premises_id,
                "decisions": decisions,
            }
        },
    )


def connect():
    from tenant_apps.calls.signals import call_decided
    from tenant_apps.demands.models import DemandEvent
    from tenant_apps.premises.models import Premises, PremisesStateChange
    from tenant_apps.proposals.models import Proposal

    post_save.connect(demand_event_saved, sender=DemandEvent, dispatch_uid="webhooks.demand")
    post_save.connect(proposal_saved, sender=Proposal, dispatch_uid="webhooks.proposal")
    pre_save.connect(premises_saving, sender=Premises, dispatch_uid="webhooks.premises_before")
    post_save.connect(premises_saved, sender=Premises, dispatch_uid="webhooks.premises")
    post_save.connect(
        premises_state_changed, sender=PremisesStateChange, dispatch_uid="webhooks.state"
    )
    call_decided.connect(call_was_decided, dispatch_uid="webhooks.call")
