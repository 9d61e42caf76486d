"""factory_boy factories for the models used across tests."""

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from shared_apps.accounts.enums import Role
from shared_apps.accounts.models import Membership, User
from tenant_apps.demands.enums import ActivityCategory, Stage
from tenant_apps.demands.models import Applicant, Demand
from tenant_apps.premises.enums import PremisesKind

PASSWORD = "motdepasse-de-test-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"agent{n}@example.fr")
    first_name = "Alex"
    last_name = "Durand"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    class Params:
        anct = factory.Trait(is_anct_staff=True)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.AGENT


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Applicant

    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Porteur{n}")
    email = factory.Sequence(lambda n: f"porteur{n}@example.fr")


class DemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Demand

    reference = factory.Sequence(lambda n: f"TST-2026-{n:05d}")
    applicant = factory.SubFactory(ApplicantFactory)
    activity = "Boulangerie artisanale"
    activity_category = ActivityCategory.FOOD
    stage = Stage.CREATING
    premises_kind = PremisesKind.SHOP
    surface_min = 40
    surface_max = 90
    monthly_budget = 1200
    contact_search = factory.LazyAttribute(lambda demand: demand.applicant.search_text)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "premises.Area"

    name = factory.Sequence(lambda n: f"Quartier {n}")


class PremisesFactory(factory.django.DjangoModelFactory):
    """An available shop, let by the month, that suits DemandFactory's default demand."""

    class Meta:
        model = "premises.Premises"

    address = factory.Sequence(lambda n: f"{n} rue de la République, 83300 Draguignan")
    kind = PremisesKind.SHOP
    surface = 60
    monthly_rent = 1000
    state = "vacant"
    latitude = 43.5366
    longitude = 6.4646

    class Params:
        for_sale = factory.Trait(monthly_rent=None, sale_price=150_000)
        let = factory.Trait(state="let")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.Partner"

    name = factory.Sequence(lambda n: f"Agence {n}")
    kind = "estate_agency"
    email = factory.Sequence(lambda n: f"agence{n}@example.fr")
    coverage_departments = factory.LazyFunction(lambda: ["83"])


class PartnerMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.PartnerMember"

    user = factory.SubFactory(UserFactory, email=factory.Sequence(lambda n: f"agent{n}@agence.fr"))
    partner = factory.SubFactory(PartnerFactory)


class NetworkMemberFactory(factory.django.DjangoModelFactory):
    """A partner in a town's network (create it inside the town's schema)."""

    class Meta:
        model = "network.NetworkMember"

    partner = factory.SubFactory(PartnerFactory)
    status = "active"


class TaskFactory(factory.django.DjangoModelFactory):
    """A task on a demand, due tomorrow (create it inside the town's schema); pass
    demand=None, premises=… for a premises' task."""

    class Meta:
        model = "tasks.Task"

    demand = factory.SubFactory(DemandFactory)
    title = factory.Sequence(lambda n: f"Rappeler le porteur {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=1))


class ExchangeFactory(factory.django.DjangoModelFactory):
    """A call about a demand, an hour ago (create it inside the town's schema)."""

    class Meta:
        model = "exchanges.Exchange"

    demand = factory.SubFactory(DemandFactory)
    kind = "call"
    happened_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    duration_minutes = 15
    summary = "Point sur le projet."
