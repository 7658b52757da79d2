"""factory_boy factories for the platform's models."""

from __future__ import annotations

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from samen030.accounts.models import User
from samen030.memberships.models import Application, Membership, MembershipType
from samen030.organisations.models import Editor, Organisation
from samen030.places.models import Buurt, Wijk

PASSWORD = "Buurt-wachtwoord-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@example.nl")
    name = factory.Faker("first_name", locale="nl_NL")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Bewonersgroep {n}")
    slug = factory.Sequence(lambda n: f"bewonersgroep-{n}")
    kind = Organisation.Kind.RESIDENTS
    description = "Wij organiseren activiteiten voor en met bewoners van de buurt."
    legal_form = Organisation.LegalForm.VERENIGING
    is_published = True

    @factory.post_generation
    def buurten(self, create: bool, extracted: list[Buurt] | None, **kwargs: object) -> None:
        if create and extracted:
            self.buurten.set(extracted)

    @factory.post_generation
    def wijken(self, create: bool, extracted: list[Wijk] | None, **kwargs: object) -> None:
        if create and extracted:
            self.wijken.set(extracted)


class EditorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Editor

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    organisation = factory.SubFactory(OrganisationFactory, is_published=False)
    requested_type = MembershipType.STEMLID
    criterion_located = "Wij zitten in Lombok."
    criterion_residents = "Twintig vrijwilligers uit de buurt."
    criterion_governance = "De bewoners beslissen in de ledenvergadering."
    criterion_transparency = "Ons jaarverslag staat online; iedereen is welkom."
    criterion_commercial = "Wij verkopen niets."
    submitted_by = factory.SubFactory(UserFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    type = MembershipType.STEMLID
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
