"""Merging two demands of one project: everything of the newer demand moves under the
older reference, and the newer one stays as a tombstone whose reference and follow-up link
lead to the older one.

The rows move generically, over every relation to Demand (Demand._meta.related_objects and
many-to-many tables): a table another app adds later follows without a change here. A row
that the older demand already has its own of (a unique constraint: the same partner
alerted for both, the same premises proposed to both, one subscription each) is not
moved: the older demand's row is kept, the newer's deleted, and the merge event says so."""

from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from tenant_apps.demands.enums import OPEN_STATUSES, DemandStatus, EventKind
from tenant_apps.demands.models import Demand
from tenant_apps.mailing.models import OutboundEmail


class MergeRefused(Exception):
    """Two demands that cannot be merged; the message is for people."""


@dataclass
class MergeReport:
    older: Demand
    newer: Demand
    moved: dict = field(default_factory=dict)  # verbose name plural -> rows moved
    kept: list = field(default_factory=list)  # the newer's rows dropped for the older's
    emails: int = 0

    def summary(self):
        """The merge event's text, for the team."""
        lines = [f"{self.newer.reference} fusionnée dans {self.older.reference}."]
        if self.moved:
            moved = ", ".join(f"{label} : {count}" for label, count in sorted(self.moved.items()))
            lines.append(f"Repris de {self.newer.reference} : {moved}.")
        if self.emails:
            lines.append(f"Courriels repris : {self.emails}.")
        if self.kept:
            lines.append(
                f"Déjà présents sous {self.older.reference}, conservés tels quels "
                f"(ceux de {self.newer.reference} sont retirés) : " + " ; ".join(self.kept) + "."
            )
        return "\n".join(lines)


def older_and_newer(first, second):
    older, newer = sorted([first, second], key=lambda demand: (demand.created_at, demand.pk))
    return older, newer


def check_mergeable(first, second):
    if first.pk == second.pk:
        raise MergeRefused("Une demande ne peut pas être fusionnée avec elle-même.")
    for demand in (first, second):
        if demand.merged_into_id:
            raise MergeRefused(f"La demande {demand.reference} a déjà été fusionnée.")
        if demand.erased_at:
            raise MergeRefused(
                f"Les données de la demande {demand.reference} ont été effacées : "
                "elle ne peut plus être fusionnée."
            )


def relations():
    """(model, name of its foreign key to Demand) for every table that points to a demand:
    foreign keys and one-to-ones of any app, and many-to-many tables (Demand.areas's and
    those of many-to-many fields to Demand declared elsewhere)."""
    pairs = []
    for rel in Demand._meta.related_objects:
        if rel.many_to_many:
            pairs.append((rel.through, rel.field.m2m_reverse_field_name()))
        else:
            pairs.append((rel.related_model, rel.field.name))
    for m2m in Demand._meta.many_to_many:
        pairs.append((m2m.remote_field.through, m2m.m2m_field_name()))
    return pairs


def unique_sets(model, fk):
    """[(other fields, condition)]: what makes a row pointing to a demand unique for it."""
    sets = []
    if model._meta.get_field(fk).unique:  # one-to-one: one row per demand
        sets.append(((), Q()))
    for fields in model._meta.unique_together:
        if fk in fields:
            sets.append((tuple(name for name in fields if name != fk), Q()))
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and constraint.fields
            and fk in constraint.fields
        ):
            others = tuple(name for name in constraint.fields if name != fk)
            sets.append((others, constraint.condition or Q()))
    return sets


# Rows recomputed from the demand itself (matching): moved or dropped without a word.
QUIET = {"premises.match"}


def describe(model, row):
    return f"{model._meta.verbose_name} « {row} »"


def move_rows(model, fk, newer, older, report):
    """Repoint `model`'s rows from `newer` to `older` (locked); a row the older demand
    already has the equivalent of is deleted and listed in the report."""
    manager = model._base_manager
    pks = list(manager.filter(**{fk: newer}).select_for_update().values_list("pk", flat=True))
    if not pks:
        return
    # Many-to-many tables (areas) are sets: a row both have is the same fact, said once.
    quiet = model._meta.auto_created or model._meta.label_lower in QUIET
    for others, condition in unique_sets(model, fk):
        twin = manager.filter(condition, **{fk: older}, **{name: OuterRef(name) for name in others})
        clashing = list(manager.filter(condition, pk__in=pks).filter(Exists(twin)))
        if clashing:
            if not quiet:
                report.kept += [describe(model, row) for row in clashing]
            manager.filter(pk__in=[row.pk for row in clashing]).delete()
            pks = [pk for pk in pks if pk not in {row.pk for row in clashing}]
    moved = 0
    try:
        with transaction.atomic():
            moved = manager.filter(pk__in=pks).update(**{fk: older})
    except IntegrityError:
        # A constraint read above could not see (on an expression): row by row.
        for pk in pks:
            try:
                with transaction.atomic():
                    moved += manager.filter(pk=pk).update(**{fk: older})
            except IntegrityError:
                row = manager.get(pk=pk)
                report.kept.append(describe(model, row))
                row.delete()
    if moved and not quiet and model is not Demand:
        label = str(model._meta.verbose_name_plural)
        report.moved[label] = report.moved.get(label, 0) + moved


def move_emails(newer, older, report):
    """The outbox keys `demand:<newer>:…` become `demand:<older>:…`, so that the older
    demand lists them and the jobs that look an email up by its key (announcements, the
    porteur's daily alert) find it under the demand its event now belongs to. A key the
    older demand already has keeps the newer's pk inside it."""
    old_prefix, new_prefix = f"demand:{newer.pk}:", f"demand:{older.pk}:"
    emails = list(
        OutboundEmail.objects.filter(key__startswith=old_prefix).select_for_update().order_by("pk")
    )
    taken = set(
        OutboundEmail.objects.filter(
            key__in=[new_prefix + email.key.removeprefix(old_prefix) for email in emails]
        ).values_list("key", flat=True)
    )
    for email in emails:
        rest = email.key.removeprefix(old_prefix)
        key = new_prefix + rest
        if key in taken:
            key = f"{new_prefix}fusion-{newer.pk}:{rest}"
        email.key = key
    OutboundEmail.objects.bulk_update(emails, ["key"])
    report.emails = len(emails)


def union(first, second):
    return list(dict.fromkeys([*first, *second]))


def earliest(*values):
    return min((value for value in values if value is not None), default=None)


def merge_fields(older, newer):
    """The older demand's needs, completed by the newer's: lists joined, blanks filled,
    texts kept both, the earliest next action. Consent to share is the older's: a merge
    never gives it on someone's behalf."""
    older.tags = union(older.tags, newer.tags)
    older.lease_kinds = union(older.lease_kinds, newer.lease_kinds)
    older.support = union(older.support, newer.support)
    for name in ("description", "other_needs"):
        mine, theirs = getattr(older, name), getattr(newer, name)
        if theirs and theirs not in mine:
            setattr(older, name, f"{mine}\n\n{theirs}" if mine else theirs)
    for name in ("naf_code", "siret", "opening_date", "monthly_budget", "purchase_budget"):
        if not getattr(older, name) and getattr(newer, name):
            setattr(older, name, getattr(newer, name))
    older.heard_from = older.heard_from or newer.heard_from
    older.needs_shop_window = older.needs_shop_window or newer.needs_shop_window
    older.needs_step_free_access = older.needs_step_free_access or newer.needs_step_free_access
    older.assignee_id = older.assignee_id or newer.assignee_id
    older.next_action_on = earliest(older.next_action_on, newer.next_action_on)
    older.first_contact_at = earliest(older.first_contact_at, newer.first_contact_at)
    seen = [moment for moment in (older.applicant_seen_at, newer.applicant_seen_at) if moment]
    older.applicant_seen_at = max(seen, default=None)
    # The newer porteur's name and email still find the demand in the inbox's search.
    older.contact_search = f"{older.contact_search} {newer.contact_search}"[:500]


ALIVE = {*OPEN_STATUSES, DemandStatus.DORMANT}
# The pipeline's steps in order: the merged demand stands at the further of the two.
PROGRESS = [*OPEN_STATUSES, DemandStatus.PREMISES_FOUND, DemandStatus.INSTALLED]


def went_further(newer, older):
    """The newer demand stands further in the pipeline (an abandoned or out-of-scope older
    one stands nowhere; a dormant one is left to the porteur's answer)."""
    if newer.status not in PROGRESS or older.status == DemandStatus.DORMANT:
        return False
    step = PROGRESS.index(older.status) if older.status in PROGRESS else -1
    return PROGRESS.index(newer.status) > step


@transaction.atomic
def merge(first, second, *, by):
    """Merge two demands of the current town under the older one's reference; returns a
    MergeReport. Both demands are locked first (in id order: two merges at once cannot
    deadlock), then checked again: a merge that lost a race is refused."""
    if first.pk == second.pk:
        raise MergeRefused("Une demande ne peut pas être fusionnée avec elle-même.")
    locked = list(
        Demand.all_objects.select_for_update(of=("self",))
        .select_related("applicant")
        .filter(pk__in=[first.pk, second.pk])
        .order_by("pk")
    )
    if len(locked) != 2:
        raise MergeRefused("Une des deux demandes n’existe plus.")
    check_mergeable(*locked)
    older, newer = older_and_newer(*locked)
    # Those flagged because of either demand: their flag is computed again at the end.
    neighbours = {
        duplicate.pk
        for demand in (older, newer)
        for duplicate in Demand.objects.likely_duplicates_of(demand)
    } - {older.pk, newer.pk}
    report = MergeReport(older=older, newer=newer)
    for model, fk in relations():
        move_rows(model, fk, newer, older, report)
    move_emails(newer, older, report)
    merge_fields(older, newer)
    older.save()
    newer.merged_into, newer.merged_at = older, timezone.now()
    newer.has_likely_duplicates = False
    newer.save(update_fields=["merged_into", "merged_at", "has_likely_duplicates", "updated_at"])
    if (older.status not in ALIVE and newer.status in ALIVE) or went_further(newer, older):
        # The project goes on under the newer demand, or went further there: so does the
        # merged one.
        if older.status not in ALIVE:
            older.outcome = ""
            older.save(update_fields=["outcome", "updated_at"])
        older.transition_to(
            newer.status, user=by, message=f"Statut repris de {newer.reference}.", check=False
        )
    older.refresh_priority()
    summary = report.summary()
    older.record(EventKind.MERGED, summary, user=by, visible_to_applicant=False)
    newer.record(EventKind.MERGED, summary, user=by, visible_to_applicant=False)
    # The survivor's duplicates keep their flag; only the others may have lost theirs.
    still = {duplicate.pk for duplicate in older.refresh_duplicate_flag()}
    Demand.objects.filter(pk__in=neighbours - still).refresh_duplicate_flags()
    return report
