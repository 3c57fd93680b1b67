"""Asking for feedback, answering it, sharing it, the one reminder, and what the person's page
shows: through the real services, pages and emails."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from feedback import services
from feedback.emails import invitations_send
from feedback.models import FeedbackInvite, FeedbackRequest
from feedback.tasks import send_feedback_reminders
from tests.circles.factories import CircleFactory, CircleMembershipFactory
from tests.factories import PersonFactory
from tests.feedback.conftest import answer

pytestmark = pytest.mark.django_db


def test_teammates_are_asked_and_each_gets_one_invitation_in_their_language(
    ask, colleague, outsider
):
    outsider.language, outsider.timezone = "es", "America/Argentina/Buenos_Aires"
    outsider.save(update_fields=["language", "timezone"])
    request = ask()

    assert invitations_send(request_id=request.pk) == 2
    assert invitations_send(request_id=request.pk) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [colleague.email_address, outsider.email_address]
    )
    spanish = next(m for m in mail.outbox if m.to == [outsider.email_address])
    closes = request.closes_at.astimezone(ZoneInfo("America/Argentina/Buenos_Aires"))
    assert spanish.body.startswith("Hola")
    # Spanish writes the hour without a leading zero ("3:23"), whatever the hour of the run.
    assert re.search(rf"(?<!\d)0?{closes.hour}:{closes:%M}(?!\d)", spanish.body)
    assert reverse("feedback:answer", args=[request.pk]) in spanish.body
    assert "List-Unsubscribe" in spanish.extra_headers


def test_asking_again_about_the_project_adds_only_the_people_not_asked_yet(
    ask, project, colleague, outsider
):
    first = ask(people=[colleague])
    again = ask(people=[colleague])
    assert again.pk == first.pk
    assert first.invites.count() == 1
    assert AuditEvent.objects.filter(action__startswith="feedback.request").count() == 1

    more = ask(people=[colleague, outsider])
    assert more.pk == first.pk
    assert sorted(more.invites.values_list("respondent_id", flat=True)) == sorted(
        [colleague.pk, outsider.pk]
    )
    assert FeedbackRequest.objects.count() == 1


def test_only_teammates_may_be_asked_about_a_project(ask, coop_admin):
    with pytest.raises(ValidationError) as refused:
        ask(people=[coop_admin])
    assert "respondents" in refused.value.message_dict
    assert not FeedbackRequest.objects.exists()


def test_someone_outside_the_team_cannot_ask_about_its_project(ask, coop_admin, colleague):
    with pytest.raises(PermissionDenied):
        ask(by=coop_admin, people=[colleague])


def test_at_any_time_a_person_asks_those_in_their_circles_and_former_teams(
    member, coop_admin, colleague, project
):
    stranger = PersonFactory(display_name="Stella Stranger")
    circle = CircleFactory()
    for person in (member, coop_admin):
        CircleMembershipFactory(circle=circle, person=person, start_date=dt.date(2024, 1, 1))

    request = services.feedback_request(
        actor=member.user, respondents=[coop_admin, colleague], message=""
    )
    assert request.project is None
    assert request.invites.count() == 2
    with pytest.raises(ValidationError):
        services.feedback_request(actor=member.user, respondents=[stranger])


def test_an_answer_needs_something_written_and_the_page_says_so(ask, colleague, login):
    request = ask()
    client = login(colleague.user)
    url = reverse("feedback:answer", args=[request.pk])
    response = client.post(url, {"went_well": " ", "to_change": "", "note": ""})
    assert response.status_code == 400
    assert "Write at least one of the three answers." in response.content.decode()
    assert not FeedbackInvite.objects.filter(answered_at__isnull=False).exists()

    response = client.post(url, {"went_well": "Clear agendas.", "to_change": "", "note": ""})
    assert response.status_code == 302
    invite = request.invites.get(respondent=colleague)
    assert invite.answered and invite.went_well == "Clear agendas."


def test_a_respondent_changes_their_answer_until_the_close_and_not_after(ask, colleague):
    request = ask()
    answer(colleague, request)
    answer(colleague, request, went_well="Clear agendas.", note="Thanks!")
    invite = request.invites.get(respondent=colleague)
    assert invite.note == "Thanks!" and invite.to_change == ""
    assert AuditEvent.objects.filter(action="feedback.answer_edit").count() == 1

    now = timezone.now()
    FeedbackRequest.objects.filter(pk=request.pk).update(
        remind_at=now - dt.timedelta(days=1), closes_at=now
    )
    with pytest.raises(services.FeedbackClosed):
        answer(colleague, request, went_well="Too late.")


def test_nobody_answers_for_someone_else(ask, colleague, outsider, login):
    request = ask()
    theirs = request.invites.get(respondent=outsider)
    with pytest.raises(PermissionDenied):
        services.answer_submit(actor=colleague.user, invite=theirs, went_well="As Omar.")
    theirs.refresh_from_db()
    assert not theirs.answered


def test_answers_are_the_askers_alone_until_shared_and_then_without_names(
    ask, member, colleague, coop_admin, login
):
    request = ask()
    answer(colleague, request, went_well="Clear agendas.")
    url = request.get_absolute_url()

    page = login(member.user).get(url).content.decode()
    assert "Clear agendas." in page and colleague.display_name in page

    other = login(coop_admin.user)
    assert other.get(url).status_code == 404

    services.request_share(actor=member.user, request=request, shared=True)
    page = other.get(url).content.decode()
    assert "Clear agendas." in page
    assert colleague.display_name not in page
    # and on the asker's profile, for the network's members
    profile = other.get(member.get_absolute_url()).content.decode()
    assert url in profile


def test_the_asker_alone_may_share(ask, colleague):
    request = ask()
    with pytest.raises(PermissionDenied):
        services.request_share(actor=colleague.user, request=request, shared=True)
    request.refresh_from_db()
    assert not request.shared


def test_one_reminder_goes_only_to_those_who_have_not_answered(ask, colleague, outsider):
    outsider.language, outsider.timezone = "fr", "Europe/Paris"
    outsider.save(update_fields=["language", "timezone"])
    request = ask(days=14)
    answer(colleague, request)
    assert send_feedback_reminders() == 0  # not yet: halfway is a week away

    FeedbackRequest.objects.filter(pk=request.pk).update(remind_at=timezone.now())
    assert send_feedback_reminders() == 1
    assert send_feedback_reminders() == 0
    [reminder] = mail.outbox
    assert reminder.to == [outsider.email_address]
    assert reminder.body.startswith("Bonjour")
    paris = request.closes_at.astimezone(ZoneInfo("Europe/Paris"))
    assert f"{paris:%H:%M}" in reminder.body
    assert request.invites.get(respondent=outsider).reminded_at is not None


def test_someone_who_turned_the_emails_off_is_not_reminded(ask, outsider, colleague):
    outsider.email_choices = {"feedback_requests": "never"}
    outsider.save(update_fields=["email_choices"])
    request = ask()
    answer(colleague, request)
    FeedbackRequest.objects.filter(pk=request.pk).update(remind_at=timezone.now())
    assert send_feedback_reminders() == 0
    assert invitations_send(request_id=request.pk) == 0
    assert not mail.outbox


def test_the_count_of_feedback_received_is_shown_to_the_person_alone(
    ask, member, colleague, outsider, coop_admin, login, client
):
    request = ask()
    answer(colleague, request)
    answer(outsider, request)
    url = member.get_absolute_url()
    own = login(member.user).get(url).content.decode()
    assert "Feedback received: 2 answers" in own
    for reader in (colleague, coop_admin):
        client.force_login(reader.user)
        assert "Feedback received" not in client.get(url).content.decode()


def test_a_teammate_asks_from_the_finished_projects_page(project, member, colleague, login):
    client = login(member.user)
    page = client.get(project.get_absolute_url()).content.decode()
    ask_url = f"{reverse('feedback:ask')}?project={project.pk}"
    assert ask_url.replace("&", "&amp;") in page or ask_url in page
    form = client.get(ask_url)
    assert colleague.display_name in form.content.decode()
    response = client.post(
        reverse("feedback:ask"),
        {"project": project.pk, "respondents": [colleague.pk], "message": "", "days": 14},
    )
    assert response.status_code == 302
    request = FeedbackRequest.objects.get()
    assert response["Location"] == request.get_absolute_url()
    assert request.project == project


def test_the_ask_form_refuses_someone_not_offered(project, member, coop_admin, login):
    client = login(member.user)
    response = client.post(
        reverse("feedback:ask"),
        {"project": project.pk, "respondents": [coop_admin.pk], "days": 14},
    )
    assert response.status_code == 400
    assert not FeedbackRequest.objects.exists()


def test_a_second_post_of_the_same_ask_at_any_time_asks_nobody_twice(member, coop_admin, login):
    circle = CircleFactory()
    for person in (member, coop_admin):
        CircleMembershipFactory(circle=circle, person=person, start_date=dt.date(2024, 1, 1))
    client = login(member.user)
    data = {"respondents": [coop_admin.pk], "days": 7, "form_token": "a-fresh-token"}
    first = client.post(reverse("feedback:ask"), data)
    second = client.post(reverse("feedback:ask"), data)
    request = FeedbackRequest.objects.get()
    assert first["Location"] == second["Location"] == request.get_absolute_url()
    assert request.invites.count() == 1
    assert request.closes_at - request.created_at < dt.timedelta(days=7, minutes=1)


# Query counts ---------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [2, 10])
def test_the_pages_keep_their_query_counts(
    member, coop, login, django_assert_max_num_queries, size
):
    from projects.models import Project
    from tests.projects.factories import ProjectFactory, TeamMembershipFactory

    people = [PersonFactory(organisation=coop) for _ in range(size)]
    last = theirs = None
    for i in range(size):
        project = ProjectFactory(name=f"Project {i}", status=Project.Status.FINISHED)
        for person in (member, *people):
            TeamMembershipFactory(role__project=project, person=person)
        last = services.feedback_request(actor=member.user, respondents=people, project=project)
        for person in people[: size // 2]:
            answer(person, last)
        theirs = services.feedback_request(
            actor=people[0].user, respondents=[member], project=project
        )
    assert last is not None and theirs is not None
    client = login(member.user)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("feedback:list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(last.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"{reverse('feedback:ask')}?project={project.pk}").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("feedback:answer", args=[theirs.pk])).status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(member.get_absolute_url()).status_code == 200


def test_the_api_gives_the_asker_their_requests_with_every_answer(
    ask, member, colleague, outsider, api_client
):
    request = ask()
    answer(colleague, request, went_well="Clear agendas.")
    api_client.force_login(member.user)
    body = api_client.get(f"/api/v1/feedback/{request.pk}/").json()
    answers = {a["respondent"]: a for a in body["answers"]}
    assert answers[colleague.pk]["went_well"] == "Clear agendas."
    assert answers[colleague.pk]["respondent_name"] == colleague.display_name
    assert answers[outsider.pk]["answered_at"] is None
    assert body["project"] == request.project_id


@pytest.mark.parametrize("size", [2, 10])
def test_the_api_list_keeps_its_query_count(
    member, coop, api_client, django_assert_max_num_queries, size
):
    from projects.models import Project
    from tests.projects.factories import ProjectFactory, TeamMembershipFactory

    people = [PersonFactory(organisation=coop) for _ in range(size)]
    for i in range(size):
        project = ProjectFactory(name=f"Project {i}", status=Project.Status.FINISHED)
        for person in (member, *people):
            TeamMembershipFactory(role__project=project, person=person)
        request = services.feedback_request(actor=member.user, respondents=people, project=project)
        answer(people[0], request)
    api_client.force_login(member.user)
    with django_assert_max_num_queries(8):
        response = api_client.get("/api/v1/feedback/?page_size=50")
    assert len(response.json()["results"]) == size
