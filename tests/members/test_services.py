"""The directory's services: partial saves, audited role changes, skills, deletion, atomicity."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from members import services
from members.models import Organisation, Person, PersonSkill
from tests.factories import OrganisationFactory, PersonFactory, PersonSkillFactory, SkillFactory

pytestmark = pytest.mark.django_db


def _updates_of(counter, table: str) -> list[str]:
    return [
        q["sql"]
        for q in counter.context.captured_queries
        if q["sql"].startswith(f'UPDATE "{table}"')
    ]


def _events(action: str, target) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=action, object_type=target._meta.label_lower, object_id=str(target.pk)
        )
    )


# person_update -----------------------------------------------------------------------------------
def test_person_update_keeps_a_field_changed_elsewhere_meanwhile(member):
    loaded = Person.objects.get(pk=member.pk)
    Person.objects.filter(pk=member.pk).update(bio="Written in another tab")

    services.person_update(actor=member.user, person=loaded, data={"display_name": "Mila M."})

    member.refresh_from_db()
    assert member.display_name == "Mila M."
    assert member.bio == "Written in another tab"


def test_person_update_writes_only_the_changed_columns(member, count_queries):
    with count_queries() as counter:
        services.person_update(
            actor=member.user, person=member, data={"hours_per_week": 20, "bio": member.bio}
        )
    (update,) = _updates_of(counter, "members_person")
    set_clause = update.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
    assert '"hours_per_week"' in set_clause
    assert '"updated_at"' in set_clause
    assert '"bio"' not in set_clause
    assert '"display_name"' not in set_clause


def test_person_update_with_nothing_changed_writes_nothing(member, count_queries):
    before = Person.objects.get(pk=member.pk).updated_at
    with count_queries() as counter:
        services.person_update(
            actor=member.user, person=member, data={"display_name": member.display_name}
        )
    assert _updates_of(counter, "members_person") == []
    assert Person.objects.get(pk=member.pk).updated_at == before


def test_person_update_rejects_an_unknown_timezone_and_saves_nothing(member):
    with pytest.raises(ValidationError) as raised:
        services.person_update(
            actor=member.user,
            person=Person.objects.get(pk=member.pk),
            data={"timezone": "Mars/Olympus", "display_name": "Changed"},
        )
    assert "timezone" in raised.value.message_dict
    member.refresh_from_db()
    assert (member.timezone, member.display_name) == ("Europe/Sofia", "Mila Member")


def test_member_cannot_update_a_colleagues_profile(member, colleague):
    with pytest.raises(PermissionDenied):
        services.person_update(actor=member.user, person=colleague, data={"bio": "Hijacked"})
    colleague.refresh_from_db()
    assert colleague.bio == ""


def test_network_admin_can_update_anyones_profile(network_admin, member):
    services.person_update(actor=network_admin, person=member, data={"bio": "Fixed a typo"})
    member.refresh_from_db()
    assert member.bio == "Fixed a typo"


def test_changing_hours_per_week_writes_an_audit_event_with_before_and_after(member):
    services.person_update(actor=member.user, person=member, data={"hours_per_week": 4})
    (event,) = _events("person.role", member)
    assert event.actor == member.user
    assert event.before == {"hours_per_week": 10}
    assert event.after == {"hours_per_week": 4}


def test_participation_cannot_be_set_by_hand_it_follows_circle_memberships(member):
    with pytest.raises(ValidationError) as error:
        services.person_update(
            actor=member.user, person=member, data={"participation": Person.Participation.ACTIVE}
        )
    assert "participation" in error.value.message_dict
    member.refresh_from_db()
    assert member.participation == Person.Participation.PASSIVE  # holds no circle membership
    assert not AuditEvent.objects.filter(object_id=str(member.pk)).exists()


def test_editing_a_bio_writes_no_audit_event(member):
    services.person_update(actor=member.user, person=member, data={"bio": "I fix bikes."})
    assert not AuditEvent.objects.filter(object_id=str(member.pk)).exists()


# roles -------------------------------------------------------------------------------------------
def test_coop_admin_makes_a_colleague_coop_admin_and_it_is_audited(coop_admin, colleague):
    services.person_set_coop_admin(actor=coop_admin.user, person=colleague, is_admin=True)

    colleague.refresh_from_db()
    assert colleague.is_coop_admin is True
    (event,) = _events("person.coop_admin", colleague)
    assert event.actor == coop_admin.user
    assert event.before == {"is_coop_admin": False}
    assert event.after == {"is_coop_admin": True}


def test_setting_the_same_coop_admin_role_again_writes_no_event(coop_admin):
    services.person_set_coop_admin(actor=coop_admin.user, person=coop_admin, is_admin=True)
    assert _events("person.coop_admin", coop_admin) == []


def test_network_admin_removes_a_coop_admin_and_it_is_audited(network_admin, coop_admin):
    services.person_set_coop_admin(actor=network_admin, person=coop_admin, is_admin=False)

    coop_admin.refresh_from_db()
    assert coop_admin.is_coop_admin is False
    (event,) = _events("person.coop_admin", coop_admin)
    assert (event.actor, event.before, event.after) == (
        network_admin,
        {"is_coop_admin": True},
        {"is_coop_admin": False},
    )


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_admins_may_make_someone_coop_admin(request, who, colleague):
    actor = request.getfixturevalue(who).user
    with pytest.raises(PermissionDenied):
        services.person_set_coop_admin(actor=actor, person=colleague, is_admin=True)
    colleague.refresh_from_db()
    assert colleague.is_coop_admin is False
    assert AuditEvent.objects.count() == 0


def test_coop_admin_of_another_coop_cannot_make_someone_coop_admin(colleague, other_coop):
    foreign_admin = PersonFactory(organisation=other_coop, is_coop_admin=True)
    with pytest.raises(PermissionDenied):
        services.person_set_coop_admin(actor=foreign_admin.user, person=colleague, is_admin=True)


# organisations -----------------------------------------------------------------------------------
def test_network_admin_suspends_a_coop_and_the_change_is_audited(network_admin, coop):
    since = coop.status_changed_at
    services.organisation_update(
        actor=network_admin, organisation=coop, data={"status": Organisation.Status.SUSPENDED}
    )

    coop.refresh_from_db()
    assert coop.status == Organisation.Status.SUSPENDED
    assert coop.status_changed_at > since
    (event,) = _events("organisation.status", coop)
    assert event.actor == network_admin
    assert event.before == {"status": "member"}
    assert event.after == {"status": "suspended"}


def test_admitting_an_applicant_sets_its_joining_date(network_admin):
    applicant = OrganisationFactory(status=Organisation.Status.APPLICANT, joined_on=None)
    services.organisation_update(
        actor=network_admin, organisation=applicant, data={"status": Organisation.Status.MEMBER}
    )
    applicant.refresh_from_db()
    assert applicant.joined_on is not None
    assert applicant.left_on is None


def test_a_coop_that_leaves_gets_a_leaving_date(network_admin, coop):
    services.organisation_update(
        actor=network_admin, organisation=coop, data={"status": Organisation.Status.LEFT}
    )
    coop.refresh_from_db()
    assert coop.left_on is not None


def test_coop_admin_cannot_change_membership_status(coop_admin, coop):
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=coop_admin.user,
            organisation=Organisation.objects.get(pk=coop.pk),
            data={"status": Organisation.Status.LEFT, "city": "Plovdiv"},
        )
    coop.refresh_from_db()
    assert (coop.status, coop.city) == (Organisation.Status.MEMBER, "Sofia")
    assert AuditEvent.objects.count() == 0


def test_coop_admin_cannot_turn_their_coop_into_a_federation(coop_admin, coop):
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=coop_admin.user, organisation=coop, data={"kind": Organisation.Kind.FEDERATION}
        )
    coop.refresh_from_db()
    assert coop.kind == Organisation.Kind.WORKER_COOP


def test_network_admin_changes_a_kind_and_it_is_audited(network_admin, coop):
    services.organisation_update(
        actor=network_admin, organisation=coop, data={"kind": Organisation.Kind.OTHER_COOP}
    )
    (event,) = _events("organisation.status", coop)
    assert (event.before, event.after) == ({"kind": "worker_coop"}, {"kind": "other_coop"})


def test_coop_admin_edits_their_coops_page_without_an_audit_event(coop_admin, coop):
    services.organisation_update(actor=coop_admin.user, organisation=coop, data={"city": "Plovdiv"})
    coop.refresh_from_db()
    assert coop.city == "Plovdiv"
    assert AuditEvent.objects.count() == 0


def test_member_cannot_edit_their_coop(member, coop):
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=member.user, organisation=coop, data={"city": "Varna"})


def test_organisation_delete_refuses_a_coop_with_people(network_admin, coop, member):
    with pytest.raises(ValidationError):
        services.organisation_delete(actor=network_admin, organisation=coop)
    assert Organisation.objects.filter(pk=coop.pk).exists()
    assert AuditEvent.objects.count() == 0


def test_organisation_delete_removes_an_empty_coop_and_audits_it(network_admin):
    mistake = OrganisationFactory(name="Entered twice")
    pk = mistake.pk
    services.organisation_delete(actor=network_admin, organisation=mistake)
    assert not Organisation.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="organisation.delete")
    assert (event.object_id, event.object_repr, event.actor) == (
        str(pk),
        "Entered twice",
        network_admin,
    )


def test_coop_admin_cannot_delete_their_coop(coop_admin):
    empty = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.organisation_delete(actor=coop_admin.user, organisation=empty)
    assert Organisation.objects.filter(pk=empty.pk).exists()


def test_unique_slug_numbers_names_already_taken(coop):
    assert services.unique_slug("Camplight") == "camplight-2"
    OrganisationFactory(slug="camplight-2")
    assert services.unique_slug("Camplight") == "camplight-3"
    assert services.unique_slug("Brand New Co-op") == "brand-new-co-op"


def test_unique_slug_falls_back_when_a_name_has_no_letters_for_a_slug(db):
    assert services.unique_slug("!!!") == "coop"


def test_organisation_create_starts_as_an_applicant_with_a_free_slug(network_admin, coop):
    created = services.organisation_create(
        actor=network_admin,
        name=" Camplight ",
        kind=Organisation.Kind.WORKER_COOP,
        country="BG",
        short_description="A second Camplight",
    )
    assert (created.name, created.slug, created.status) == (
        "Camplight",
        "camplight-2",
        Organisation.Status.APPLICANT,
    )
    assert _events("organisation.create", created)[0].actor == network_admin


# skills ------------------------------------------------------------------------------------------
def _skills_of(person) -> dict[str, tuple[int, int]]:
    return {
        ps.skill.slug: (ps.level, ps.years)
        for ps in PersonSkill.objects.filter(person=person).select_related("skill")
    }


def test_person_skills_replace_adds_updates_and_removes(member):
    kept = PersonSkillFactory(person=member, skill__name="Django", level=2, years=1).skill
    dropped = PersonSkillFactory(person=member, skill__name="Drupal").skill
    added = SkillFactory(name="Figma")

    services.person_skills_replace(
        actor=member.user,
        person=member,
        skills=[{"skill": kept, "level": 4, "years": 6}, {"skill": added, "level": 1}],
    )

    assert _skills_of(member) == {"django": (4, 6), "figma": (1, 0)}
    assert not PersonSkill.objects.filter(skill=dropped).exists()


def test_person_skills_replace_rejects_a_skill_listed_twice_and_changes_nothing(member):
    PersonSkillFactory(person=member, skill__name="Django", level=2, years=1)
    figma = SkillFactory(name="Figma")
    with pytest.raises(ValidationError):
        services.person_skills_replace(
            actor=member.user,
            person=member,
            skills=[{"skill": figma, "level": 1}, {"skill": figma, "level": 3}],
        )
    assert _skills_of(member) == {"django": (2, 1)}


def test_member_cannot_replace_a_colleagues_skills(member, colleague):
    with pytest.raises(PermissionDenied):
        services.person_skills_replace(actor=member.user, person=colleague, skills=[])


def test_a_failing_step_leaves_no_half_written_profile(member):
    """The profile page saves the profile, then skills, then languages in one transaction."""
    PersonSkillFactory(person=member, skill__name="Django", level=2, years=1)
    figma, react = SkillFactory(name="Figma"), SkillFactory(name="React")
    person = Person.objects.get(pk=member.pk)

    with pytest.raises(IntegrityError), transaction.atomic():
        services.person_update(actor=member.user, person=person, data={"bio": "Half a save"})
        services.person_skills_replace(
            actor=member.user,
            person=person,
            skills=[{"skill": figma, "level": 2}, {"skill": react, "level": 9}],
        )

    member.refresh_from_db()
    assert member.bio == ""
    assert _skills_of(member) == {"django": (2, 1)}
