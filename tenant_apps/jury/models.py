"""A call's jurors (town staff or invited outsiders), each juror's review of an
application (comment, submission, conflict of interest) and its scores per criterion
(town schema). A Juror row is an outsider's only access to the town."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tenant_apps.jury.enums import SCORE_MAX, SCORE_MIN


class JurorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def of(self, user):
        """The active seats of `user` on the town's juries."""
        if not user.is_authenticated:
            return self.none()
        return self.active().filter(user=user)


class Juror(models.Model):
    """A seat on one call's jury. Revoked seats are kept: their submitted reviews count."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # What the team knows them as: « Banque Populaire », « CCI du Var »…
    organisation = models.CharField("organisme", max_length=120, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField("invité le", default=timezone.now)
    revoked_at = models.DateTimeField("retiré le", null=True, blank=True)

    objects = JurorQuerySet.as_manager()

    class Meta:
        verbose_name = "juré"
        verbose_name_plural = "jurés"
        ordering = ["invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="one_seat_per_juror_and_call")
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.user.get_full_name() or self.user.email

    @property
    def is_active(self):
        return self.revoked_at is None


class ReviewQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(submitted_at__isnull=False, conflict=False)


class Review(models.Model):
    """One juror's look at one application: a comment and scores, locked once submitted;
    or a conflict of interest, which excludes the juror from the application."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="reviews")
    application = models.ForeignKey(
        "calls.Application", on_delete=models.CASCADE, related_name="reviews"
    )
    comment = models.TextField("commentaire", blank=True)
    submitted_at = models.DateTimeField("soumis le", null=True, blank=True)
    conflict = models.BooleanField("conflit d’intérêts", default=False)
    conflict_reason = models.CharField("motif du conflit", max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = "évaluation"
        verbose_name_plural = "évaluations"
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "application"], name="one_review_per_juror_and_application"
            ),
            models.CheckConstraint(
                condition=Q(conflict=False) | ~Q(conflict_reason=""),
                name="conflict_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.juror} — {self.application}"

    @property
    def is_locked(self):
        return self.submitted_at is not None or self.conflict

    def weighted(self, criteria):
        """The weighted score on 10: Σ(score × weight) / Σ(weight), over `criteria`."""
        values = {score.criterion_id: score.value for score in self.scores.all()}
        total = sum(criterion.weight for criterion in criteria)
        return sum(values.get(c.pk, 0) * c.weight for c in criteria) / total if total else 0


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        "calls.Criterion", on_delete=models.CASCADE, related_name="scores"
    )
    value = models.PositiveSmallIntegerField(
        "note", validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )

    class Meta:
        verbose_name = "note"
        verbose_name_plural = "notes"
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="one_score_per_review_and_criterion"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=SCORE_MIN, value__lte=SCORE_MAX), name="score_on_the_scale"
            ),
        ]

    def __str__(self):
        return f"{self.criterion.name} : {self.value}"
