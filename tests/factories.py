"""factory_boy factories for the platform's models."""

from __future__ import annotations

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from samen030.accounts.models import User
from samen030.activities.schedule import AMSTERDAM
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


class ActivityFactory(factory.django.DjangoModelFactory):
    """A weekly coffee morning in Lombok, Tuesdays 10:00–12:00 local time; pass organisations=[…]."""

    class Meta:
        model = "activities.Activity"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Koffieochtend {n}")
    slug = factory.Sequence(lambda n: f"koffieochtend-{n}")
    description = "Kom koffie drinken met je buren. **Iedereen** is welkom."
    starts_at = factory.LazyFunction(lambda: dt.datetime(2026, 3, 17, 10, tzinfo=AMSTERDAM))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    rrule = "FREQ=WEEKLY"
    street = "Kanaalstraat"
    house_number = "12"
    postcode = "3531AB"
    languages = factory.LazyFunction(lambda: ["nl"])

    @factory.post_generation
    def organisations(self, create: bool, extracted: list[Organisation] | None, **kwargs: object) -> None:
        if create:
            self.organisations.set(extracted if extracted is not None else [OrganisationFactory()])

    @factory.post_generation
    def buurten(self, create: bool, extracted: list[Buurt] | None, **kwargs: object) -> None:
        if create and extracted:
            self.buurten.set(extracted)

    @factory.post_generation
    def themes(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        from samen030.activities.models import Theme

        if create:
            self.themes.set(Theme.objects.filter(slug__in=extracted or ["ontmoeting"]))

    @factory.post_generation
    def search_index(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Derive the search columns as the services do (pass search_index=False to leave them empty)."""
        from samen030.activities.search import index_activities

        if create and extracted is not False:
            index_activities([self.pk])
