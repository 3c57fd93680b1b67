"""A person with their skills and languages, and a new co-op with its first admin: each is one
service (one transaction) that the pages and the API both call."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from audit.models import AuditEvent
from members import services
from members.models import Invitation, Organisation, Person, PersonLanguage, PersonSkill
from members.permissions import can_set_coop_admin
from members.search import search_organisations, search_people
from members.tasks import send_invitation
from tests.conftest import queued
from tests.factories import (
    LanguageFactory,
    PersonFactory,
    PersonSkillFactory,
    SectorFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db


def _skills_of(person: Person) -> dict[str, int]:
    return dict(PersonSkill.objects.filter(person=person).values_list("skill__slug", "level"))


def _languages_of(person: Person) -> dict[str, int]:
    return dict(
        PersonLanguage.objects.filter(person=person).values_list("language__code", "proficiency")
    )


# person_create -----------------------------------------------------------------------------------
def test_a_coop_admin_lists_a_person_with_their_skills_and_languages(coop_admin):
    django, figma = SkillFactory(name="Django"), SkillFactory(name="Figma")
    spanish = LanguageFactory(code="es", name="Spanish")

    person = services.person_create(
        actor=coop_admin.user,
        organisation=coop_admin.organisation,
        data={"display_name": "Noor Listed", "contact_email": "noor@camplight.coop"},
        skills=[{"skill": django, "level": 3, "years": 4}, {"skill": figma, "level": 1}],
        languages=[{"language": spanish, "proficiency": 2}],
    )

    assert person.user is None
    assert _skills_of(person) == {"django": 3, "figma": 1}
    assert _languages_of(person) == {"es": 2}
    assert AuditEvent.objects.filter(action="person.create", object_id=str(person.pk)).exists()
    # The directory finds them, and their co-op, by the skill they were listed with.
    assert list(search_people(Person.objects.all(), "django")) == [person]
    assert list(search_organisations(Organisation.objects.all(), "django")) == [
        coop_admin.organisation
    ]


def test_a_person_listed_with_a_skill_twice_is_not_listed_at_all(coop_admin):
    figma = SkillFactory(name="Figma")

    with pytest.raises(ValidationError):
        services.person_create(
            actor=coop_admin.user,
            organisation=coop_admin.organisation,
            data={"display_name": "Noor Listed"},
            skills=[{"skill": figma, "level": 1}, {"skill": figma, "level": 2}],
        )

    assert not Person.objects.filter(display_name="Noor Listed").exists()
    assert not AuditEvent.objects.filter(action="person.create").exists()


def test_a_member_cannot_list_people_in_their_coop(member):
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=member.user,
            organisation=member.organisation,
            data={"display_name": "Noor Listed"},
            skills=[],
        )
    assert not Person.objects.filter(display_name="Noor Listed").exists()


# person_update -----------------------------------------------------------------------------------
def test_a_person_saves_their_profile_skills_and_languages_together(member):
    PersonSkillFactory(person=member, skill__name="Drupal")
    react = SkillFactory(name="React")
    french = LanguageFactory(code="fr", name="French")

    services.person_update(
        actor=member.user,
        person=Person.objects.get(pk=member.pk),
        data={"bio": "Frontend, mostly."},
        skills=[{"skill": react, "level": 2}],
        languages=[{"language": french, "proficiency": 3}],
    )

    member.refresh_from_db()
    assert member.bio == "Frontend, mostly."
    assert _skills_of(member) == {"react": 2}
    assert _languages_of(member) == {"fr": 3}


def test_skills_and_languages_not_given_are_left_as_they_are(member):
    PersonSkillFactory(person=member, skill__name="Django", level=2)
    PersonLanguage.objects.create(
        person=member, language=LanguageFactory(code="es", name="Spanish"), proficiency=1
    )

    services.person_update(actor=member.user, person=member, data={"bio": "Unchanged skills"})

    assert _skills_of(member) == {"django": 2}
    assert _languages_of(member) == {"es": 1}


def test_skills_are_saved_even_when_no_profile_field_changed(member):
    """The profile page always sends the skills, often with no other change."""
    figma = SkillFactory(name="Figma")

    services.person_update(
        actor=member.user, person=member, data={}, skills=[{"skill": figma, "level": 4}]
    )

    assert _skills_of(member) == {"figma": 4}


def test_a_refused_language_keeps_the_profile_and_skills_as_they_were(member):
    PersonSkillFactory(person=member, skill__name="Django", level=2)
    figma = SkillFactory(name="Figma")
    spanish = LanguageFactory(code="es", name="Spanish")

    with pytest.raises(ValidationError):
        services.person_update(
            actor=member.user,
            person=Person.objects.get(pk=member.pk),
            data={"bio": "Half a save"},
            skills=[{"skill": figma, "level": 1}],
            languages=[
                {"language": spanish, "proficiency": 1},
                {"language": spanish, "proficiency": 2},
            ],
        )

    member.refresh_from_db()
    assert member.bio == ""
    assert _skills_of(member) == {"django": 2}


def test_a_member_cannot_replace_a_colleagues_skills_through_their_profile(member, colleague):
    PersonSkillFactory(person=colleague, skill__name="Django", level=2)
    with pytest.raises(PermissionDenied):
        services.person_update(actor=member.user, person=colleague, data={}, skills=[])
    assert _skills_of(colleague) == {"django": 2}


# organisations -----------------------------------------------------------------------------------
def _new_coop(network_admin, **overrides):
    arguments = {
        "actor": network_admin,
        "name": "Cooperativa Tejedora",
        "kind": Organisation.Kind.WORKER_COOP,
        "country": "UY",
        "short_description": "Weavers of software",
        "email": " Lucia@Tejedora.coop ",
        "display_name": "Lucía",
    }
    return services.organisation_add_with_first_admin(**{**arguments, **overrides})


def test_a_new_coop_comes_with_its_first_admins_invitation(
    network_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        organisation, invitation = _new_coop(network_admin)

    assert organisation.status == Organisation.Status.APPLICANT
    assert (invitation.organisation, invitation.email, invitation.as_coop_admin) == (
        organisation,
        "lucia@tejedora.coop",
        True,
    )
    # The invitation email is queued to go once both are stored.
    assert [args[0] for args in queued(send_invitation)] == [invitation.pk]


def test_an_invitation_refused_adds_no_coop(network_admin, member):
    with pytest.raises(ValidationError) as refused:
        _new_coop(network_admin, email=member.user.email)

    assert "email" in refused.value.message_dict
    assert not Organisation.objects.filter(name="Cooperativa Tejedora").exists()
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_only_network_admins_add_a_coop_with_its_first_admin(coop_admin):
    with pytest.raises(PermissionDenied):
        _new_coop(coop_admin.user)
    assert not Organisation.objects.filter(name="Cooperativa Tejedora").exists()


def test_organisation_create_takes_the_rest_of_the_page_in_the_same_transaction(network_admin):
    sector = SectorFactory(name="Software")

    organisation = services.organisation_create(
        actor=network_admin,
        name="Cooperativa Tejedora",
        kind=Organisation.Kind.WORKER_COOP,
        country="UY",
        short_description="Weavers",
        data={"city": "Montevideo", "status": Organisation.Status.MEMBER},
        m2m={"sectors": [sector]},
    )

    organisation.refresh_from_db()
    assert (organisation.city, organisation.status) == ("Montevideo", Organisation.Status.MEMBER)
    assert organisation.joined_on is not None
    assert list(organisation.sectors.all()) == [sector]


def test_organisation_create_with_a_bad_field_adds_nothing(network_admin):
    with pytest.raises((ValidationError, IntegrityError)):
        services.organisation_create(
            actor=network_admin,
            name="Cooperativa Tejedora",
            kind=Organisation.Kind.WORKER_COOP,
            country="UY",
            short_description="Weavers",
            data={"website": "not a web address"},
        )
    assert not Organisation.objects.filter(name="Cooperativa Tejedora").exists()


# the API: the same services, through ServiceCallMixin.call ---------------------------------------
def test_a_coop_admin_lists_a_person_with_skills_through_the_api(api_client, coop_admin):
    SkillFactory(name="Django")
    LanguageFactory(code="es", name="Spanish")
    api_client.force_authenticate(coop_admin.user)

    response = api_client.post(
        "/api/v1/people/",
        {
            "organisation": {"slug": coop_admin.organisation.slug},
            "display_name": "Noor Listed",
            "skills": [{"skill": "django", "level": 3}],
            "languages": [{"language": "es", "proficiency": 2}],
        },
        format="json",
    )

    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert [(s["skill"], s["level"]) for s in body["skills"]] == [("django", 3)]
    assert [(lang["language"], lang["proficiency"]) for lang in body["languages"]] == [("es", 2)]


def test_a_refused_api_edit_is_a_problem_and_changes_nothing(api_client, member):
    SkillFactory(name="Django")
    api_client.force_authenticate(member.user)

    response = api_client.patch(
        f"/api/v1/people/{member.pk}/",
        {"bio": "Should not stay", "skills": [{"skill": "django", "level": 9}]},
        format="json",
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    member.refresh_from_db()
    assert member.bio == ""


def test_a_person_edits_their_skills_through_the_api(api_client, member):
    PersonSkillFactory(person=member, skill__name="Drupal")
    SkillFactory(name="Django")
    api_client.force_authenticate(member.user)

    response = api_client.patch(
        f"/api/v1/people/{member.pk}/",
        {"bio": "Backend", "skills": [{"skill": "django", "level": 2}]},
        format="json",
    )

    assert response.status_code == 200, response.content.decode()
    member.refresh_from_db()
    assert member.bio == "Backend"
    assert _skills_of(member) == {"django": 2}


def test_a_network_admin_adds_a_member_coop_with_its_sectors_through_the_api(
    api_client, network_admin
):
    SectorFactory(name="Software")
    api_client.force_authenticate(network_admin)

    response = api_client.post(
        "/api/v1/organisations/",
        {
            "name": "Cooperativa Tejedora",
            "slug": "tejedora",
            "country": "UY",
            "short_description": "Weavers",
            "city": "Montevideo",
            "sectors": ["software"],
        },
        format="json",
    )

    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert (body["slug"], body["city"], body["sectors"], body["status"]) == (
        "tejedora",
        "Montevideo",
        ["software"],
        Organisation.Status.APPLICANT,
    )


def test_a_person_of_another_coop_is_not_listed_through_the_api(api_client, outsider, coop):
    api_client.force_authenticate(outsider.user)
    response = api_client.post(
        "/api/v1/people/",
        {"organisation": {"slug": coop.slug}, "display_name": "Noor Listed"},
        format="json",
    )
    assert response.status_code == 403
    assert not Person.objects.filter(display_name="Noor Listed").exists()


# who makes someone a co-op admin: one rule for the page's button and the service ----------------
@pytest.mark.parametrize(
    ("role", "allowed"),
    [("network_admin", True), ("coop_admin", True), ("foreign_admin", False), ("member", False)],
)
def test_the_page_offers_the_coop_admin_button_exactly_when_the_service_allows_it(
    role, allowed, login, network_admin, coop_admin, member, colleague, other_coop
):
    foreign_admin = PersonFactory(
        organisation=other_coop, user__email="fran@facttic.coop", is_coop_admin=True
    )
    user = {
        "network_admin": network_admin,
        "coop_admin": coop_admin.user,
        "foreign_admin": foreign_admin.user,
        "member": member.user,
    }[role]

    assert can_set_coop_admin(user, colleague) is allowed
    page = login(user).get(f"/people/{colleague.pk}/").content.decode()
    assert (f"/people/{colleague.pk}/coop-admin/" in page) is allowed
    try:
        services.person_set_coop_admin(actor=user, person=colleague, is_admin=True)
    except PermissionDenied:
        refused = True
    else:
        refused = False
    assert refused is not allowed
    colleague.refresh_from_db()
    assert colleague.is_coop_admin is allowed
