"""Factories of the calls (create them inside a town's schema)."""

import uuid
from datetime import timedelta

import factory
from django.utils import timezone

from tenant_apps.calls.enums import CallKind, CallStatus
from tests.factories import PremisesFactory

# The smallest file that passes for a plain PDF (a header, a page, an end-of-file mark).
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


class CallFactory(factory.django.DjangoModelFactory):
    """A published trial-shop call, open for a month, with a 6-month progressive rent."""

    class Meta:
        model = "calls.Call"
        skip_postgeneration_save = True

    premises = factory.SubFactory(PremisesFactory, monthly_rent=800)
    title = factory.Sequence(lambda n: f"Boutique à l’essai n° {n}")
    kind = CallKind.TRIAL
    trial_months = 6
    market_rent = 800
    rent_schedule = factory.LazyFunction(lambda: [300, 300, 500, 500, 800, 800])
    lease_kind = "trial_shop"
    commitments = "Ouvrir 5 jours sur 7."
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    status = CallStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(status=CallStatus.DRAFT, published_at=None)
        past = factory.Trait(
            deadline=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
        )

    @factory.post_generation
    def grid(self, create, extracted, **kwargs):
        if create:
            self.set_criteria(extracted or [("Faisabilité", 50), ("Motivation", 50)])


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "calls.Application"

    call = factory.SubFactory(CallFactory)
    name = "Inès Martin"
    email = factory.Sequence(lambda n: f"candidate{n}@example.fr")
    phone = "+33612345678"
    project = "Une épicerie de produits du Var."
    experience = "Dix ans de vente en épicerie fine."
    motivation = "Faire revivre la rue."
    plan_file_name = "plan.pdf"
    plan_size = len(PDF)
    plan_stored_name = factory.LazyFunction(lambda: uuid.uuid4().hex)
