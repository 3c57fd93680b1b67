"""Opportunity alerts reach people: new people hear of fitting opportunities as they open, the
coordinator sees beforehand how many will be alerted and afterwards how many were, and every
alert carries a one-click way to stop them."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import transaction

from members.models import Person
from notifications.models import Notification
from projects import emails
from projects.models import Opportunity, OpportunityNotification, TeamMembership
from projects.selectors.opportunities import alert_preview, alerts_of
from projects.services.matching_runs import match_run_claim, match_run_execute
from projects.services.notifications import notifications_record
from projects.services.opportunities import opportunity_transition
from projects.services.staffing import invitations_send, match_run_request
from projects.services.teams import project_from_opportunity
from projects.tasks import notify_fitting_people
from tests.factories import PersonFactory, PersonLanguageFactory, PersonSkillFactory
from tests.projects.factories import OpportunityFactory, RoleFactory, RoleSkillFactory
from tests.worker_fixtures import wait_until

S = Opportunity.Status
NOW, WEEKLY, NEVER = Person.Notify.IMMEDIATELY, Person.Notify.WEEKLY, Person.Notify.NEVER


@pytest.fixture
def opening(circle, coordinator, django_skill, english):
    """A draft needing a Django developer (practitioner+, 10 h a week) working in English."""
    opportunity = OpportunityFactory(
        circle=circle, posted_by=coordinator, status=S.DRAFT, title="Portal for Vivienda Sur"
    )
    opportunity.working_languages.add(english)
    role = RoleFactory(opportunity=opportunity, title="Backend developer", hours_per_week=10)
    RoleSkillFactory(role=role, skill=django_skill, min_level=2)
    return opportunity


@pytest.fixture
def fitting(django_skill, english):
    """Make a person the opening fits, with the given choice (and an account unless told)."""

    def _fitting(name: str, notify=None, **extra) -> Person:
        if notify is not None and notify != NOW:
            extra["email_choices"] = {Person.OPPORTUNITY_EMAILS: notify}
        if "user" not in extra:
            extra["user__email"] = f"{name.replace(' ', '.').lower()}@example.coop"
        person = PersonFactory(display_name=name, hours_per_week=20, **extra)
        PersonSkillFactory(person=person, skill=django_skill, level=3)
        PersonLanguageFactory(person=person, language=english)
        return person

    return _fitting


@pytest.mark.django_db
def test_a_new_person_hears_of_fitting_opportunities_as_they_open(coop):
    person = Person.objects.create(organisation=coop, display_name="Nina New")
    assert person.email_choice(Person.OPPORTUNITY_EMAILS) == NOW


@pytest.mark.django_db
def test_the_preview_counts_people_by_choice_and_leaves_out_never_and_the_unreachable(
    opening, fitting
):
    for name in ("Ada Now", "Bea Now"):
        fitting(name, NOW)
    fitting("Walt Weekly", WEEKLY)
    fitting("Nell Never", NEVER)
    # Listed by their co-op without an account: reached at the contact address it gave.
    fitting("Lis Listed", NOW, user=None, contact_email="lis@listed.example")
    fitting("Una Unreachable", NOW, user=None, contact_email="")

    assert alert_preview(opening) == {"now": 3, "weekly": 1}


# with the real worker -----------------------------------------------------------------------------
@pytest.mark.worker
@pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning")
def test_the_preview_counts_exactly_the_people_opening_emails(
    celery_worker, opening, coordinator, fitting, login
):
    for name in ("Ada Now", "Bea Now", "Cai Now"):
        fitting(name, NOW)
    fitting("Lis Listed", NOW, user=None, contact_email="lis@listed.example")
    fitting("Walt Weekly", WEEKLY)
    fitting("Wes Weekly", WEEKLY)
    fitting("Nell Never", NEVER)
    client = login(coordinator.user)

    preview = alert_preview(opening)
    page = client.get(opening.get_absolute_url()).content.decode()
    assert f"<strong data-alert-now>{preview['now']}</strong>" in page
    assert f"<strong data-alert-weekly>{preview['weekly']}</strong>" in page

    with transaction.atomic():
        opportunity_transition(actor=coordinator.user, opportunity=opening, to_status=S.OPEN)
    wait_until(lambda: len(mail.outbox) >= preview["now"])

    assert len(mail.outbox) == preview["now"] == 4
    assert alerts_of(opening)["sent"] == 4
    # The two who chose the weekly digest have it held for their digest, and listed already.
    wait_until(lambda: Notification.objects.filter(digest=WEEKLY).count() == 2)
    held = Notification.objects.filter(kind=Person.OPPORTUNITY_EMAILS, digest=WEEKLY)
    assert sorted(held.values_list("recipient__display_name", flat=True)) == [
        "Walt Weekly",
        "Wes Weekly",
    ]
    page = client.get(opening.get_absolute_url()).content.decode()
    assert "<strong data-alerted>4</strong> people were alerted by email" in page
    assert "2 more in their digest" in page


# the one-click unsubscribe ------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_alert_carries_a_one_click_unsubscribe_and_the_preferences_link(
    opening, fitting, client, django_skill
):
    ada = fitting("Ada Now", NOW)
    Opportunity.objects.filter(pk=opening.pk).update(status=S.OPEN)
    notify_fitting_people(opening.pk)

    (alert,) = mail.outbox
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = alert.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("http") and "/emails/unsubscribe/" in link
    assert link in alert.body and "/me/emails/" in alert.body

    # The mail program posts without a cookie or a CSRF token (RFC 8058).
    client.handler.enforce_csrf_checks = True
    path = urlsplit(link).path
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    ada.refresh_from_db()
    assert ada.email_choice(Person.OPPORTUNITY_EMAILS) == NEVER

    second = OpportunityFactory(circle=opening.circle, status=S.OPEN, title="Second thing")
    RoleSkillFactory(role=RoleFactory(opportunity=second), skill=django_skill)
    assert notify_fitting_people(second.pk) == 0


@pytest.mark.django_db
def test_a_person_who_turns_alerts_off_after_the_fan_out_is_not_emailed(opening, fitting):
    ada = fitting("Ada Now", NOW)
    Opportunity.objects.filter(pk=opening.pk).update(status=S.OPEN)
    notifications_record(opportunity_id=opening.pk)
    Person.objects.filter(pk=ada.pk).update(email_choices={Person.OPPORTUNITY_EMAILS: NEVER})

    assert emails.opportunity_notifications_send(opportunity_id=opening.pk) == 0
    assert mail.outbox == []


# the opportunity page -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_only_the_coordinator_sees_who_opening_would_alert(
    opening, fitting, login, member, other_coordinator
):
    fitting("Ada Now", NOW)
    page = login(opening.posted_by.user).get(opening.get_absolute_url()).content.decode()
    assert "Who hears of it" in page and "<strong data-alert-now>1</strong>" in page

    other = login(other_coordinator.user).get(opening.get_absolute_url())
    assert other.status_code == 404  # a draft is theirs alone
    Opportunity.objects.filter(pk=opening.pk).update(status=S.OPEN)
    for user in (member.user, other_coordinator.user):
        page = login(user).get(opening.get_absolute_url()).content.decode()
        assert "Who heard of it" not in page and "data-alert" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("opened", [False, True])
def test_the_alert_counts_cost_the_same_queries_for_few_and_many_people(
    opening, fitting, login, count_queries, opened
):
    client = login(opening.posted_by.user)

    def grow(names):
        for name in names:
            fitting(name, NOW if len(name) % 2 else WEEKLY)
        if opened:
            OpportunityNotification.objects.filter(opportunity=opening).delete()
            Opportunity.objects.filter(pk=opening.pk).update(
                status=S.OPEN, opened_at="2026-01-01T00:00Z"
            )
            notifications_record(opportunity_id=opening.pk)

    grow(["Ada One", "Bo Two"])
    with count_queries() as small:
        assert client.get(opening.get_absolute_url()).status_code == 200
    grow([f"Person {n} Many" for n in range(20)])
    with count_queries() as big:
        response = client.get(opening.get_absolute_url())
    assert response.status_code == 200
    assert big.count == small.count, big.report()
    assert ("data-alerted" if opened else "data-alert-now") in response.content.decode()


# team invitations: a kind of their own --------------------------------------------------------------
@pytest.mark.django_db
def test_a_person_who_turned_team_invitations_off_is_invited_but_not_emailed(staffing, coordinator):
    opportunity, _people = staffing
    project = project_from_opportunity(actor=coordinator.user, opportunity=opportunity)
    run = match_run_request(actor=coordinator.user, project=project)
    assert match_run_claim(run_id=run.pk)
    match_run_execute(run_id=run.pk)
    invitations_send(actor=coordinator.user, project=project)
    invited = list(TeamMembership.objects.filter(project=project, status="invited"))
    quiet = invited[0].person
    Person.objects.filter(pk=quiet.pk).update(email_choices={"team_invitations": NEVER})

    assert emails.team_invitations_send(project_id=project.pk) == len(invited) - 1
    assert quiet.user.email not in {m.to[0] for m in mail.outbox}
    assert all(
        m.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        for m in mail.outbox
    )


# the API ------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_api_gives_coordinators_the_same_counts_before_and_after_opening(
    opening, fitting, api_client, member
):
    fitting("Ada Now", NOW)
    fitting("Walt Weekly", WEEKLY)
    url = f"/api/v1/opportunities/{opening.pk}/alerts/"
    api_client.force_login(opening.posted_by.user)
    assert api_client.get(url).json() == {
        "will_alert_now": 1,
        "will_alert_in_digest": 1,
        "alerted": None,
        "alerts_pending": None,
        "in_digest": None,
        "digests_sent": None,
    }

    Opportunity.objects.filter(pk=opening.pk).update(status=S.OPEN, opened_at="2026-01-01T00:00Z")
    notify_fitting_people(opening.pk)
    assert api_client.get(url).json() == {
        "will_alert_now": None,
        "will_alert_in_digest": None,
        "alerted": 1,
        "alerts_pending": 0,
        "in_digest": 1,
        "digests_sent": None,
    }

    api_client.force_login(member.user)
    response = api_client.get(url)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.django_db
def test_an_alert_subject_shows_the_title_as_written(opening, fitting):
    fitting("Ada Now", NOW)
    Opportunity.objects.filter(pk=opening.pk).update(
        status=S.OPEN, title="Farmers' market & co-op shop"
    )
    notify_fitting_people(opening.pk)
    assert mail.outbox[0].subject == "An opportunity that fits you: Farmers' market & co-op shop"
