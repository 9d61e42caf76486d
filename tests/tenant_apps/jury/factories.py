"""Factories of the jury (create them inside a town's schema)."""

import factory
from django.utils import timezone

from tenant_apps.jury.models import Review, Score
from tests.factories import UserFactory
from tests.tenant_apps.calls.factories import CallFactory


class JurorFactory(factory.django.DjangoModelFactory):
    """A seat on a call's jury; its user is an outsider (no membership) by default."""

    class Meta:
        model = "jury.Juror"

    call = factory.SubFactory(CallFactory)
    user = factory.SubFactory(UserFactory)
    organisation = "Banque du Var"


def review(seat, application, scores, *, comment="", submitted=True):
    """`seat`'s review of `application` with `scores` in the grid's order."""
    row = Review.objects.create(
        juror=seat,
        application=application,
        comment=comment,
        submitted_at=timezone.now() if submitted else None,
    )
    criteria = list(application.call.criteria.all())
    Score.objects.bulk_create(
        Score(review=row, criterion=criterion, value=value)
        for criterion, value in zip(criteria, scores, strict=True)
    )
    return row
