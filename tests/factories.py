"""Factories for the directory. Names are invented; countries and timezones fit each other."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import User
from members.models import (
    Invitation,
    Language,
    Organisation,
    Person,
    PersonLanguage,
    PersonSkill,
    Sector,
    Skill,
    SkillCategory,
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.coop")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")
    is_active = True

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Mark the email verified, as allauth requires before login."""
        if create:
            from allauth.account.models import EmailAddress

            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class LanguageFactory(DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ["code"]

    code = "en"
    name = "English"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Cooperativa Número {n}")
    slug = factory.Sequence(lambda n: f"coop-{n}")
    kind = Organisation.Kind.WORKER_COOP
    short_description = "A worker co-op building software for the social economy."
    description = "We design, build and maintain **digital tools**."
    country = "BG"
    city = "Sofia"
    founded = 2012
    size = 12
    status = Organisation.Status.MEMBER
    joined_on = factory.LazyFunction(lambda: timezone.now().date())


class SkillCategoryFactory(DjangoModelFactory):
    class Meta:
        model = SkillCategory
        django_get_or_create = ["slug"]

    name = "Development"
    slug = factory.LazyAttribute(lambda o: o.name.lower())


class SkillFactory(DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    category = factory.SubFactory(SkillCategoryFactory)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    display_name = factory.Sequence(lambda n: f"Person {n}")
    timezone = "Europe/Sofia"
    country = "BG"
    hours_per_week = 10
    contact_email = factory.LazyAttribute(
        lambda o: f"contact-{o.display_name.replace(' ', '').lower()}@example.coop"
    )

    @factory.post_generation
    def active_member(person, create, extracted, **kwargs):
        """`PersonFactory(active_member=True)`: the person holds a current membership in an
        active circle, so the participation rule (circles.services) makes them active. The
        factory never sets participation itself: it is derived, and tests must meet the rule."""
        if not (create and extracted):
            return
        from circles.models import Circle, CircleMembership
        from circles.services import participation_refresh

        circle, _ = Circle.objects.get_or_create(
            slug="stewards", defaults={"name": "Stewards", "purpose": "Keep the network going."}
        )
        CircleMembership.objects.create(
            circle=circle, person=person, start_date=datetime.date(2024, 1, 1)
        )
        participation_refresh([person.pk])
        person.refresh_from_db(fields=["participation"])


class PersonSkillFactory(DjangoModelFactory):
    class Meta:
        model = PersonSkill

    person = factory.SubFactory(PersonFactory)
    skill = factory.SubFactory(SkillFactory)
    level = PersonSkill.Level.EXPERT
    years = 5


class PersonLanguageFactory(DjangoModelFactory):
    class Meta:
        model = PersonLanguage

    person = factory.SubFactory(PersonFactory)
    language = factory.SubFactory(LanguageFactory)
    proficiency = PersonLanguage.Proficiency.FLUENT


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.coop")
    token_hash = factory.LazyFunction(lambda: Invitation.hash_token(Invitation.new_token()))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=14))
