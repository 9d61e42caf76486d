"""The jury's workflow across the call, its applications, the jurors and their reviews:
invitations, closing, blind scoring, ranking and the decision with its emails."""

import statistics
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from shared_apps.accounts.verification import verified_user
from tenant_apps.calls.enums import CallStatus, Decision
from tenant_apps.calls.models import Application, Call
from tenant_apps.calls.signals import application_decided, call_decided
from tenant_apps.jury.models import Juror, Review, Score
from tenant_apps.mailing.services import queue_email
from tenants.models import Territory

# Invitations ----------------------------------------------------------------------------


@transaction.atomic
def invite(call, *, email, first_name, last_name, organisation, by):
    """Give `email` a seat on the call's jury and email them, once per invitation. An
    outsider gets an account (signing in by emailed code) and no membership: the seat is
    their only access to the town."""
    if call.status == CallStatus.DECIDED:
        raise ValidationError("La décision de cet appel est prise : le jury est clos.")
    user = verified_user(email.strip().lower(), first_name=first_name, last_name=last_name)
    juror, created = Juror.objects.get_or_create(
        call=call, user=user, defaults={"organisation": organisation, "invited_by": by}
    )
    if not created:
        if juror.is_active:
            raise ValidationError(f"{user.email} fait déjà partie du jury de cet appel.")
        juror.revoked_at, juror.invited_at = None, timezone.now()
        juror.organisation, juror.invited_by = organisation or juror.organisation, by
        juror.save()
    territory = Territory.objects.current()
    page = reverse("jury:call", args=[call.pk])
    queue_email(
        f"jury:call:{call.pk}:juror:{juror.pk}:invite:{juror.invited_at.isoformat()}",
        user.email,
        "jury/emails/invitation.txt",
        {
            "territory": territory,
            "call": call,
            "by": by.get_full_name() or by.email,
            "login_url": territory.url(f"/compte/login/code/?next={page}"),
            "page_url": territory.url(page),
        },
    )
    return juror


def revoke(juror):
    """Take the seat back: the juror loses access at once; reviews already submitted
    still count in the ranking (the jury did give them)."""
    juror.revoked_at = timezone.now()
    juror.save(update_fields=["revoked_at"])


# Closing --------------------------------------------------------------------------------


def is_past_deadline(call, now=None):
    return call.status == CallStatus.PUBLISHED and call.deadline <= (now or timezone.now())


def scoring_open(call):
    """Jurors score once applications are closed: by hand, or by the deadline passing
    (before the periodic job has written it down)."""
    return call.status == CallStatus.CLOSED or is_past_deadline(call)


def close(call):
    """Stop applications and open the scoring (published calls only)."""
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if locked.status != CallStatus.PUBLISHED:
            raise ValidationError("Seul un appel publié peut être clos.")
        locked.status = CallStatus.CLOSED
        locked.save(update_fields=["status", "updated_at"])
    call.status = CallStatus.CLOSED
    return call


def close_past_deadlines():
    """Periodic: published calls whose deadline has passed become closed (idempotent)."""
    return Call.objects.filter(status=CallStatus.PUBLISHED, deadline__lte=timezone.now()).update(
        status=CallStatus.CLOSED, updated_at=timezone.now()
    )


# Scoring --------------------------------------------------------------------------------

NOT_OPEN = "La notation ouvre à la clôture des candidatures."
LOCKED = "Vos notes pour cette candidature sont soumises : elles ne changent plus."
CONFLICTED = "Vous avez déclaré un conflit d’intérêts pour cette candidature."


def review_of(juror, application):
    """The juror's review of the application (unsaved when they have not started)."""
    return Review.objects.filter(juror=juror, application=application).first() or Review(
        juror=juror, application=application
    )


def check_open(review):
    if review.conflict:
        raise ValidationError(CONFLICTED)
    if review.submitted_at:
        raise ValidationError(LOCKED)
    call = review.application.call
    if call.status == CallStatus.DECIDED:
        raise ValidationError("La décision est prise : la notation est close.")
    if not scoring_open(call):
        raise ValidationError(NOT_OPEN)


@transaction.atomic
def save_scores(review, values, comment):
    """Keep a draft: `values` maps criteria to a score (None: not scored yet)."""
    review = locked_review(review)
    check_open(review)
    review.comment = comment
    review.save()
    for criterion, value in values.items():
        if value is None:
            Score.objects.filter(review=review, criterion=criterion).delete()
        else:
            Score.objects.update_or_create(
                review=review, criterion=criterion, defaults={"value": value}
            )
    return review


@transaction.atomic
def submit(review, criteria):
    """Lock the review; every criterion must be scored."""
    review = locked_review(review)
    check_open(review)
    scored = set(review.scores.values_list("criterion_id", flat=True))
    missing = [criterion.name for criterion in criteria if criterion.pk not in scored]
    if review.pk is None or missing:
        raise ValidationError(
            "Notez chaque critère avant de soumettre : " + ", ".join(missing or ["tous"]) + "."
        )
    review.submitted_at = timezone.now()
    review.save(update_fields=["submitted_at", "updated_at"])
    return review


@transaction.atomic
def declare_conflict(review, reason):
    """The juror steps aside for this application: no scores, no sight of the others'."""
    review = locked_review(review)
    if review.submitted_at:
        raise ValidationError(LOCKED)
    if review.conflict:
        raise ValidationError(CONFLICTED)
    review.conflict, review.conflict_reason = True, reason.strip()
    review.save()
    review.scores.all().delete()
    return review


def locked_review(review):
    if review.pk is None:
        review.save()
    return Review.objects.select_for_update().select_related("application__call").get(pk=review.pk)


def may_see_scores(seat, application):
    """Blind scoring: a juror sees the others' scores of an application only once their
    own are submitted, never when in conflict; staff who are not jurors always do."""
    if seat is None:
        return True
    review = Review.objects.filter(juror=seat, application=application).first()
    return review is not None and review.submitted_at is not None and not review.conflict


def still_to_review(seat):
    """The applications of the seat's call the juror has neither submitted nor stepped
    aside from."""
    done = Review.objects.filter(Q(submitted_at__isnull=False) | Q(conflict=True), juror=seat)
    return seat.call.applications.exclude(pk__in=done.values("application_id"))


# Ranking --------------------------------------------------------------------------------


@dataclass
class Row:
    application: Application
    scores: list = field(default_factory=list)  # each scoring juror's weighted score
    conflicts: int = 0
    hidden: bool = False  # the viewing juror declared a conflict: nothing shown

    @property
    def count(self):
        return len(self.scores)

    @property
    def score(self):
        return statistics.fmean(self.scores) if self.scores else None

    @property
    def spread(self):
        """Population standard deviation of the jurors' weighted scores (0: unanimous)."""
        return statistics.pstdev(self.scores) if len(self.scores) > 1 else None

    @property
    def low(self):
        return min(self.scores) if self.scores else None

    @property
    def high(self):
        return max(self.scores) if self.scores else None


def ranking(call, seat=None):
    """One row per application, best weighted score first (unscored ones last). The
    weighted score of a juror is Σ(note × poids) / 100 on 10; an application's is the
    mean over the jurors who submitted. `seat`: the viewing juror, whose conflicts hide
    their rows."""
    criteria = list(call.criteria.all())
    rows = {a.pk: Row(a) for a in call.applications.all()}
    reviews = Review.objects.filter(application__call=call).prefetch_related("scores")
    for review in reviews:
        row = rows[review.application_id]
        if review.conflict:
            row.conflicts += 1
            if seat is not None and review.juror_id == seat.pk:
                row.hidden = True
        elif review.submitted_at:
            row.scores.append(review.weighted(criteria))
    for row in rows.values():
        if row.hidden:
            row.scores = []
    return sorted(
        rows.values(),
        key=lambda row: (row.score is None, -(row.score or 0), row.application.created_at),
    )


# Decision -------------------------------------------------------------------------------

EMAILS = {
    Decision.SELECTED: "jury/emails/selected.txt",
    Decision.WAITING: "jury/emails/waiting.txt",
    Decision.DECLINED: "jury/emails/declined.txt",
}


def changes(decisions):
    """(application, decision, reason) of `decisions` ({application: (decision, reason)})
    that change something: a reason is kept for a declined application only."""
    found = []
    for application, (decision, reason) in decisions.items():
        decision = Decision(decision)
        reason = reason.strip() if decision == Decision.DECLINED else ""
        if decision != Decision.PENDING and (decision, reason) != (
            application.decision,
            application.decision_reason,
        ):
            found.append((application, decision, reason))
    return found


def decide(call, decisions, *, by):
    """Record `decisions` ({application: (decision, reason)}) with who and when, email
    each applicant whose decision changed (once per application and decision), mark the
    call decided once every application is, and tell the rest of the product after the
    commit."""
    territory = Territory.objects.current()
    changed = []
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if not (scoring_open(locked) or locked.status == CallStatus.DECIDED):
            raise ValidationError("Clôturez l’appel avant de décider.")
        now = timezone.now()
        for application, decision, reason in changes(decisions):
            application.decision, application.decision_reason = decision, reason
            application.decided_by, application.decided_at = by, now
            application.save(
                update_fields=["decision", "decision_reason", "decided_by", "decided_at"]
            )
            queue_email(
                f"call:{call.pk}:application:{application.pk}:decision:{decision}",
                application.email,
                EMAILS[decision],
                {"territory": territory, "call": locked, "application": application},
            )
            changed.append(application)
        finished = (
            locked.status != CallStatus.DECIDED
            and not locked.applications.filter(decision=Decision.PENDING).exists()
            and locked.applications.exists()
        )
        if finished:
            locked.status = CallStatus.DECIDED
            locked.save(update_fields=["status", "updated_at"])
        for application in changed:
            transaction.on_commit(
                lambda a=application: application_decided.send(sender=Application, application=a)
            )
        if finished:
            transaction.on_commit(lambda: call_decided.send(sender=Call, call=locked))
    call.status = locked.status
    return changed
