"""Team matching tells the truth: it considers everyone a member co-op lists (account or not),
a person without an account joins through a link that also accepts their seat, swaps keep the
team rules, a hand-changed proposal is not called proven, and nobody on the team is offered as
an alternate for another role."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.models import User
from members import services as members_services
from members.models import Invitation, Organisation, Person
from projects import emails
from projects.models import MatchRun, TeamMembership
from projects.selectors.matching_runs import proposed_memberships
from projects.services.matching_runs import match_run_claim, match_run_execute, proposal_swap
from projects.services.staffing import invitations_send, match_run_request, membership_respond
from projects.services.teams import project_from_opportunity
from tests.factories import PersonFactory, PersonLanguageFactory, PersonSkillFactory

PASSWORD = "a long enough passphrase 42"


def _run(coordinator, project, **kw) -> MatchRun:
    run = match_run_request(actor=coordinator.user, project=project, **kw)
    assert match_run_claim(run_id=run.pk)
    return match_run_execute(run_id=run.pk)


def _proposal(project) -> dict[str, str]:
    return {m.role.title: m.person.display_name for m in proposed_memberships(project)}


def _alternates(run, role) -> list[int]:
    run.refresh_from_db()
    entry = next(e for e in run.result["roles"] if e["role"] == role.pk)
    return [a["person"] for a in entry["alternates"]]


@pytest.fixture
def project(staffing, coordinator):
    opportunity, _people = staffing
    return project_from_opportunity(actor=coordinator.user, opportunity=opportunity)


def _fitting_designer(staffing, english, figma, **fields) -> Person:
    """Someone who would be the best designer (Figma at the top level, plenty of hours)."""
    opportunity, _people = staffing
    fields = {"organisation": opportunity.source_coop, **fields}
    person = PersonFactory(display_name="Dana Designer", hours_per_week=30, **fields)
    PersonSkillFactory(person=person, skill=figma, level=4, years=12)
    PersonLanguageFactory(person=person, language=english)
    return person


# who matching considers ---------------------------------------------------------------------------
def test_a_person_without_an_account_in_a_member_coop_is_proposed(
    project, coordinator, staffing, english, figma
):
    dana = _fitting_designer(staffing, english, figma, user=None, contact_email="dana@camp.coop")
    _run(coordinator, project)
    assert _proposal(project)["Designer"] == "Dana Designer"
    assert dana.user_id is None


@pytest.mark.parametrize("case", ["coop_not_member", "account_closed", "not_open_to_matching"])
def test_people_outside_member_coops_closed_accounts_and_opt_outs_are_not_proposed(
    project, coordinator, staffing, english, figma, case
):
    fields = {"open_to_matching": case != "not_open_to_matching"}
    if case == "coop_not_member":
        from tests.factories import OrganisationFactory

        fields["organisation"] = OrganisationFactory(status=Organisation.Status.APPLICANT)
    if case == "account_closed":
        fields["user__is_active"] = False
    _fitting_designer(staffing, english, figma, **fields)
    _run(coordinator, project)
    assert _proposal(project)["Designer"] == "Best Designer"


# joining through the team invitation --------------------------------------------------------------
@pytest.fixture
def invited_without_account(project, coordinator, staffing, english, figma):
    """Dana, listed by her co-op without an account, is proposed and invited as the designer."""
    dana = _fitting_designer(staffing, english, figma, user=None, contact_email="dana@camp.coop")
    _run(coordinator, project)
    invitations_send(actor=coordinator.user, project=project)
    assert emails.team_invitations_send(project_id=project.pk) == 3
    seat = TeamMembership.objects.get(person=dana)
    return dana, seat


def _join_link(email: str) -> str:
    message = next(m for m in mail.outbox if m.to == [email])
    return re.search(r"https?://\S+(/join/\S+/)", message.body).group(1)


def _sign_up(client, link: str, email: str):
    assert client.get(link).status_code == 200
    return client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def test_inviting_someone_without_an_account_emails_them_a_join_link_for_their_own_person(
    invited_without_account,
):
    dana, seat = invited_without_account
    invitation = Invitation.objects.get(person=dana)
    assert seat.join_invitation == invitation and seat.status == TeamMembership.Status.INVITED
    assert invitation.email == "dana@camp.coop" and invitation.organisation == dana.organisation
    message = next(m for m in mail.outbox if m.to == ["dana@camp.coop"])
    assert invitation.get_absolute_url() in message.body
    assert "/team-invitations/" not in message.body  # the join link, not the anonymous answer
    # People with an account answer through their own link; nobody else gets a join link.
    others = [m for m in mail.outbox if m.to != ["dana@camp.coop"]]
    assert len(others) == 2 and all("/team-invitations/" in m.body for m in others)
    assert all("/join/" not in m.body for m in others)
    assert Invitation.objects.count() == 1


def test_the_join_page_says_which_seat_waits(client, invited_without_account):
    _dana, seat = invited_without_account
    page = client.get(_join_link("dana@camp.coop")).content.decode()
    assert "as Designer" in page and seat.project.name in page


def test_signing_up_with_the_link_gives_the_same_person_an_account_and_accepts_the_seat(
    client, invited_without_account
):
    dana, seat = invited_without_account
    people_before = Person.objects.count()

    response = _sign_up(client, _join_link("dana@camp.coop"), "dana@camp.coop")

    assert response.status_code == 302
    user = User.objects.get(email="dana@camp.coop")
    dana.refresh_from_db()
    seat.refresh_from_db()
    assert dana.user == user and Person.objects.count() == people_before
    assert seat.status == TeamMembership.Status.ACCEPTED and seat.role.filled
    assert int(client.session["_auth_user_id"]) == user.pk


def test_the_link_used_a_second_time_creates_nothing(client, invited_without_account):
    dana, _seat = invited_without_account
    link = _join_link("dana@camp.coop")
    _sign_up(client, link, "dana@camp.coop")
    client.logout()

    assert client.get(link).status_code == 410
    token = link.strip("/").split("/")[-1]
    with pytest.raises(members_services.InvitationUnusable):
        members_services.invitation_accept(
            token=token, user=User.objects.create_user(email="eve@example.coop")
        )
    dana.refresh_from_db()
    assert dana.user.email == "dana@camp.coop"


def test_signing_up_with_another_email_is_refused_and_the_seat_still_waits(
    client, invited_without_account
):
    dana, seat = invited_without_account

    response = _sign_up(client, _join_link("dana@camp.coop"), "eve@example.coop")

    assert response.status_code == 302
    assert not User.objects.filter(email="eve@example.coop").exists()
    dana.refresh_from_db()
    seat.refresh_from_db()
    assert dana.user is None and seat.status == TeamMembership.Status.INVITED
    assert Invitation.objects.get(person=dana).accepted_at is None


def test_someone_logged_in_who_opens_the_link_does_not_get_the_seat(
    login, member, invited_without_account
):
    dana, seat = invited_without_account
    response = login(member.user).get(_join_link("dana@camp.coop"))
    assert response.status_code == 302
    seat.refresh_from_db()
    dana.refresh_from_db()
    assert seat.status == TeamMembership.Status.INVITED and dana.user is None


def test_a_seat_withdrawn_before_joining_is_not_accepted_but_the_account_is_made(
    client, invited_without_account
):
    dana, seat = invited_without_account
    TeamMembership.objects.filter(pk=seat.pk).update(status=TeamMembership.Status.DECLINED)
    _sign_up(client, _join_link("dana@camp.coop"), "dana@camp.coop")
    dana.refresh_from_db()
    seat.refresh_from_db()
    assert dana.user is not None and seat.status == TeamMembership.Status.DECLINED


def test_inviting_someone_without_an_account_or_an_email_is_refused_and_invites_nobody(
    project, coordinator, staffing, english, figma
):
    _fitting_designer(staffing, english, figma, user=None, contact_email="")
    _run(coordinator, project)
    with pytest.raises(ValidationError, match="no email address"):
        invitations_send(actor=coordinator.user, project=project)
    assert not TeamMembership.objects.filter(status=TeamMembership.Status.INVITED).exists()
    assert not Invitation.objects.exists()


# swaps and alternates ------------------------------------------------------------------------------
def test_a_swap_that_puts_too_many_people_of_one_coop_in_the_team_is_refused(
    project, coordinator, staffing
):
    _opportunity, people = staffing
    project.max_per_coop = 1
    project.save(update_fields=["max_per_coop"])
    _run(coordinator, project)
    before = _proposal(project)

    # Second Designer is of the same co-op as Best Sysadmin, already proposed.
    with pytest.raises(ValidationError, match="more people from one co-op"):
        proposal_swap(
            actor=coordinator.user,
            project=project,
            role=project.roles.get(title="Designer"),
            person=people["Second Designer"],
        )
    assert _proposal(project) == before


def test_a_swap_that_leaves_too_few_coops_is_refused(project, coordinator, staffing):
    _opportunity, people = staffing
    project.min_coops = 3
    project.save(update_fields=["min_coops"])
    _run(coordinator, project)

    # Second Sysadmin is of Best Backend's co-op: two co-ops left of the three asked.
    with pytest.raises(ValidationError, match="fewer than 3 co-ops"):
        proposal_swap(
            actor=coordinator.user,
            project=project,
            role=project.roles.get(title="Sysadmin"),
            person=people["Second Sysadmin"],
        )


def test_the_page_shows_a_rule_breaking_alternate_without_a_button(
    login, project, coordinator, staffing
):
    _opportunity, _people = staffing
    project.max_per_coop = 1
    project.save(update_fields=["max_per_coop"])
    _run(coordinator, project)
    page = login(coordinator.user).get(f"/projects/{project.pk}/matching/").content.decode()
    assert "Cannot be proposed instead:" in page
    assert "Propose Second Designer as Designer" not in page


def test_after_a_swap_the_page_no_longer_says_the_team_is_proven_best(
    login, project, coordinator, staffing
):
    _opportunity, people = staffing
    _run(coordinator, project)
    client = login(coordinator.user)
    url = f"/projects/{project.pk}/matching/"
    assert "the best team the rules allow (proven)" in client.get(url).content.decode()

    client.post(
        f"{url}swap/",
        {"role": project.roles.get(title="Designer").pk, "person": people["Second Designer"].pk},
    )

    page = client.get(url).content.decode()
    assert _proposal(project)["Designer"] == "Second Designer"
    assert "proven" not in page and "You changed this proposal by hand" in page


def test_someone_swapped_into_one_role_is_not_offered_for_another(
    login, project, coordinator, staffing, english, figma, docker
):
    """Vera fits both the designer and the sysadmin roles, second best for each."""
    _opportunity, people = staffing
    vera = PersonFactory(
        organisation=people["Second Designer"].organisation,
        display_name="Vera Versatile",
        hours_per_week=40,
    )
    PersonSkillFactory(person=vera, skill=figma, level=3)
    PersonSkillFactory(person=vera, skill=docker, level=3)
    PersonLanguageFactory(person=vera, language=english)
    run = _run(coordinator, project)
    designer, sysadmin = project.roles.get(title="Designer"), project.roles.get(title="Sysadmin")
    assert vera.pk in _alternates(run, designer) and vera.pk in _alternates(run, sysadmin)

    proposal_swap(actor=coordinator.user, project=project, role=designer, person=vera)

    assert vera.pk not in _alternates(run, sysadmin)  # what the API shows, too
    page = login(coordinator.user).get(f"/projects/{project.pk}/matching/").content.decode()
    assert "Propose Vera Versatile as Sysadmin" not in page
    with pytest.raises(ValidationError):
        proposal_swap(actor=coordinator.user, project=project, role=sysadmin, person=vera)
    assert _proposal(project)["Sysadmin"] == "Best Sysadmin"


def test_a_person_already_in_the_team_is_not_an_alternate_in_a_later_run(
    project, coordinator, staffing, figma
):
    _opportunity, people = staffing
    best_backend = people["Best Backend"]
    PersonSkillFactory(person=best_backend, skill=figma, level=3)
    _run(coordinator, project)
    invitations_send(actor=coordinator.user, project=project)
    seat = TeamMembership.objects.get(person=best_backend)
    membership_respond(actor=best_backend.user, membership=seat, accept=True)
    TeamMembership.objects.exclude(pk=seat.pk).update(status=TeamMembership.Status.LEFT)

    run = _run(coordinator, project)

    for role in project.roles.exclude(pk=seat.role_id):
        assert best_backend.pk not in _alternates(run, role)


def test_a_one_role_run_keeps_the_rest_of_the_proposal_out_of_its_alternates(
    project, coordinator, staffing
):
    _opportunity, _people = staffing
    _run(coordinator, project)
    designer = project.roles.get(title="Designer")
    run = _run(coordinator, project, mode=MatchRun.Mode.ONE_ROLE, role=designer)
    proposed_elsewhere = set(
        TeamMembership.objects.filter(project=project, status=TeamMembership.Status.PROPOSED)
        .exclude(role=designer)
        .values_list("person_id", flat=True)
    )
    assert proposed_elsewhere and not proposed_elsewhere & set(_alternates(run, designer))
