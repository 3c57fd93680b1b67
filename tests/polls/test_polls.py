"""Polls as people use them: voting and changing a vote, anonymity, hidden results, closing
by beat and by the author, outcomes on the next assembly's agenda, reminders."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assemblies.models import AgendaItem, Assembly
from assemblies.services import agenda_build
from audit.models import AuditEvent
from polls import services
from polls.models import Ballot, Poll
from polls.tasks import close_due_polls, send_poll_reminders
from tests.api_helpers import assert_problem
from tests.factories import PersonFactory
from tests.polls.conftest import option_ids

pytestmark = pytest.mark.django_db


def test_a_voter_changes_their_vote_and_it_counts_once(make_poll, voter, login):
    poll = make_poll()
    a, b, _c = option_ids(poll)
    client = login(voter.user)
    client.post(reverse("polls:vote", args=[poll.pk]), {"option": a})
    client.post(reverse("polls:vote", args=[poll.pk]), {"option": b})
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert Ballot.objects.get(poll=poll).answer == {"option": b}
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "Change my vote" in page


def test_someone_outside_the_circle_may_not_vote(make_poll, outsider):
    poll = make_poll()
    with pytest.raises(PermissionDenied):
        services.vote_cast(actor=outsider.user, poll=poll, answer={"option": option_ids(poll)[0]})


def test_a_block_without_a_reason_is_refused_on_the_page_and_in_the_api(
    make_poll, voter, login, api_client
):
    poll = make_poll("proposal")
    response = login(voter.user).post(reverse("polls:vote", args=[poll.pk]), {"position": "block"})
    assert response.status_code == 400
    assert "A block needs a reason." in response.content.decode()
    api_client.force_login(voter.user)
    body = assert_problem(
        api_client.post(
            f"/api/v1/polls/{poll.pk}/vote/", {"answer": {"position": "block"}}, format="json"
        ),
        400,
    )
    assert "answer" in body["errors"]
    assert not Ballot.objects.exists()
    api_client.post(
        f"/api/v1/polls/{poll.pk}/vote/",
        {"answer": {"position": "block", "reason": "It breaks our pay policy"}},
        format="json",
    )
    assert Ballot.objects.get().answer["position"] == "block"


def test_a_dot_vote_cannot_spend_more_dots_than_it_has(make_poll, voter, api_client):
    poll = make_poll("dot", dots=5)
    a, b, _c = option_ids(poll)
    api_client.force_login(voter.user)
    url = f"/api/v1/polls/{poll.pk}/vote/"
    assert_problem(
        api_client.post(url, {"answer": {"dots": {str(a): 4, str(b): 2}}}, format="json"), 400
    )
    ok = api_client.post(url, {"answer": {"dots": {str(a): 3, str(b): 2}}}, format="json")
    assert ok.status_code == 200
    assert ok.json()["my_answer"] == {"dots": {str(a): 3, str(b): 2}}


# Anonymity --------------------------------------------------------------------------------------
def test_nothing_reveals_who_voted_what_in_an_anonymous_poll(
    make_poll, voter, author, network_admin, api_client, login
):
    poll = make_poll("proposal", anonymous=True)
    services.vote_cast(
        actor=voter.user, poll=poll, answer={"position": "block", "reason": "Secret reason"}
    )
    services.vote_cast(actor=voter.user, poll=poll, answer={"position": "disagree"})
    services.poll_close(actor=author.user, poll=poll)

    ballot = Ballot.objects.get(poll=poll)
    assert ballot.voter_id is None  # the only link is the keyed hash
    assert str(voter.pk) not in ballot.voter_key
    # No audit event speaks of the vote.
    assert not AuditEvent.objects.filter(actor=voter.user).exists()
    assert not AuditEvent.objects.filter(action__startswith="poll.vote").exists()

    for user in (author.user, network_admin):
        page = login(user).get(poll.get_absolute_url()).content.decode()
        assert "Vera Voter" not in page
        assert "Who answered" not in page
        api_client.force_login(user)
        for url in (f"/api/v1/polls/{poll.pk}/", "/api/v1/polls/"):
            body = api_client.get(url).content.decode()
            assert "Vera" not in body and f'"id": {voter.pk},' not in body
        assert api_client.get(f"/api/v1/polls/{poll.pk}/").json()["my_answer"] is None
    # The admin's audit view of the poll says it was created and closed, nothing of votes.
    login(network_admin)
    admin_page = login(network_admin).get(reverse("admin:audit_auditevent_changelist"))
    assert "Vera" not in admin_page.content.decode()
    # The voter still sees their own answer.
    api_client.force_login(voter.user)
    assert api_client.get(f"/api/v1/polls/{poll.pk}/").json()["my_answer"] == {
        "position": "disagree",
        "reason": "",
    }


def test_a_named_poll_shows_who_answered_once_results_are_visible(make_poll, voter, author, login):
    poll = make_poll("proposal")
    services.vote_cast(actor=voter.user, poll=poll, answer={"position": "agree", "reason": "Fair"})
    page = login(author.user).get(poll.get_absolute_url()).content.decode()
    assert "Who answered" in page and "Vera Voter" in page


# Hidden results ---------------------------------------------------------------------------------
def test_hidden_results_stay_hidden_from_everyone_until_the_close(
    make_poll, voter, author, network_admin, api_client, login
):
    poll = make_poll("single", results_hidden=True)
    a = option_ids(poll)[0]
    services.vote_cast(actor=voter.user, poll=poll, answer={"option": a})
    for user in (author.user, voter.user, network_admin):
        api_client.force_login(user)
        assert api_client.get(f"/api/v1/polls/{poll.pk}/").json()["results"] is None
        listed = api_client.get("/api/v1/polls/").json()["results"][0]
        assert listed["results"] is None
        page = login(user).get(poll.get_absolute_url()).content.decode()
        assert 'id="results-hidden"' in page and 'id="results"' not in page
    services.poll_close(actor=author.user, poll=poll)
    api_client.force_login(author.user)
    results = api_client.get(f"/api/v1/polls/{poll.pk}/").json()["results"]
    assert {"option": a, "votes": 1, "mean": None} in results["options"]
    assert 'id="results"' in login(author.user).get(poll.get_absolute_url()).content.decode()


def test_turnout_and_quorum_read_as_a_sentence(make_poll, voter, author, login):
    poll = make_poll("single", quorum=2)
    services.vote_cast(actor=voter.user, poll=poll, answer={"option": option_ids(poll)[0]})
    page = login(author.user).get(poll.get_absolute_url()).content.decode()
    # The circle holds the author and the voter: two may vote.
    assert "1 of 2 voted, quorum 2" in page


# Closing ----------------------------------------------------------------------------------------
def test_beat_closes_a_due_poll_once(make_poll, author):
    poll = make_poll()
    later = poll.closes_at + dt.timedelta(minutes=1)
    assert services.polls_close_due(now=later) == 1
    assert services.polls_close_due(now=later) == 0
    assert services.poll_close_claim(poll_id=poll.pk, now=later) is False
    poll.refresh_from_db()
    assert poll.closed_at == later
    assert AuditEvent.objects.filter(action="poll.close").count() == 1


def test_the_beat_task_closes_nothing_before_its_time(make_poll):
    poll = make_poll()
    assert close_due_polls() == 0
    poll.refresh_from_db()
    assert poll.closed_at is None


def test_no_vote_after_the_close_and_the_api_answers_409(make_poll, voter, author, api_client):
    poll = make_poll()
    services.poll_close(actor=author.user, poll=poll)
    api_client.force_login(voter.user)
    assert_problem(
        api_client.post(
            f"/api/v1/polls/{poll.pk}/vote/",
            {"answer": {"option": option_ids(poll)[0]}},
            format="json",
        ),
        409,
    )
    api_client.force_login(author.user)
    assert_problem(api_client.post(f"/api/v1/polls/{poll.pk}/close/"), 409)


# Outcomes ---------------------------------------------------------------------------------------
def test_an_outcome_goes_onto_the_next_assemblys_agenda(make_poll, author, network_admin):
    poll = make_poll("proposal")
    services.poll_close(actor=author.user, poll=poll)
    assembly = Assembly.objects.create(
        title="December assembly", start=timezone.now() + dt.timedelta(days=10)
    )
    services.outcome_record(
        actor=author.user,
        poll=poll,
        statement="We keep equal pay and review it in spring.",
        review_on=dt.date(2027, 4, 1),
        to_next_assembly=True,
    )
    agenda_build(actor=network_admin, assembly=assembly)
    agenda_build(actor=network_admin, assembly=assembly)
    items = AgendaItem.objects.filter(assembly=assembly, title="Which pay model?")
    assert items.count() == 1
    assert "equal pay" in items.get().description


def test_an_outcome_waits_for_the_close(make_poll, author):
    poll = make_poll("proposal")
    with pytest.raises(ValidationError):
        services.outcome_record(actor=author.user, poll=poll, statement="Too early")


# Reminders --------------------------------------------------------------------------------------
def test_reminders_go_once_and_only_to_those_who_have_not_voted(
    make_poll, voter, author, circle, coop, settings
):
    from tests.circles.factories import CircleMembershipFactory

    sleeper = PersonFactory(
        organisation=coop, display_name="Sol Sleeper", language="es", timezone="America/Lima"
    )
    CircleMembershipFactory(circle=circle, person=sleeper)
    poll = make_poll(
        "single",
        anonymous=True,
        remind_hours_before=24,
        closes_at=timezone.now() + dt.timedelta(hours=12),
    )
    services.vote_cast(actor=voter.user, poll=poll, answer={"option": option_ids(poll)[0]})

    assert send_poll_reminders() == 2
    assert send_poll_reminders() == 0
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([author.email_address, sleeper.email_address])
    spanish = next(m for m in mail.outbox if m.to == [sleeper.email_address])
    # In Spanish, at Lima's clock time (UTC-5, no DST), naming the zone.
    lima = poll.closes_at.astimezone(ZoneInfo("America/Lima"))
    assert spanish.body.startswith("Hola")
    # Spanish writes the hour without a leading zero ("3:23"), whatever the hour of the run.
    assert re.search(rf"(?<!\d)0?{lima.hour}:{lima:%M}(?!\d)", spanish.body)
    assert "America/Lima" in spanish.body


def test_no_reminder_before_its_time(make_poll):
    make_poll(remind_hours_before=2, closes_at=timezone.now() + dt.timedelta(days=2))
    assert send_poll_reminders() == 0
    assert not mail.outbox


# Query counts -----------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [2, 12])
def test_the_list_and_detail_keep_their_query_counts(
    make_poll, voter, login, api_client, django_assert_max_num_queries, size
):
    for i in range(size):
        poll = make_poll("ranked", title=f"Poll {i}")
        services.vote_cast(actor=voter.user, poll=poll, answer={"ranking": option_ids(poll)})
    client = login(voter.user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("polls:list")).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(poll.get_absolute_url()).status_code == 200
    api_client.force_login(voter.user)
    with django_assert_max_num_queries(14):
        assert api_client.get("/api/v1/polls/?page_size=50").status_code == 200


def test_a_member_starts_a_time_poll_from_the_form_in_their_own_timezone(member, login, circle):
    from members.models import Person

    Person.objects.filter(pk=member.pk).update(timezone="America/Sao_Paulo")
    client = login(member.user)
    data = {
        "title": "When do we meet?",
        "kind": "time",
        "slots": "2027-03-28 09:00\n2027-03-29 18:30",
        "slot_minutes": 60,
        "electorate": "all",
        "closes_at": "2027-03-20T12:00",
        "max_score": 5,
        "dots": 10,
    }
    response = client.post(reverse("polls:new"), data)
    poll = Poll.objects.get(title="When do we meet?")
    assert response.status_code == 302 and response["Location"] == poll.get_absolute_url()
    starts = list(poll.options.values_list("starts_at", flat=True))
    assert starts == [
        dt.datetime(2027, 3, 28, 12, 0, tzinfo=dt.UTC),
        dt.datetime(2027, 3, 29, 21, 30, tzinfo=dt.UTC),
    ]
    assert poll.closes_at == dt.datetime(2027, 3, 20, 15, 0, tzinfo=dt.UTC)
    # A circle the member is not in: the form says so, nothing is made.
    refused = client.post(reverse("polls:new"), data | {"title": "Other", "circle": circle.pk})
    assert refused.status_code == 400
    assert "only in a circle you belong to" in refused.content.decode()
    assert not Poll.objects.filter(title="Other").exists()


def test_a_partner_tool_opens_a_poll_through_the_api_and_bad_input_is_problem_json(
    voter, circle, api_client
):
    api_client.force_login(voter.user)
    body = {
        "title": "When do we meet?",
        "kind": "time",
        "slots": ["2030-01-15T09:00:00-03:00", "2030-01-16T09:00:00-03:00"],
        "circle": circle.slug,
        "electorate": "circle",
        "closes_at": "2030-01-10T18:00:00Z",
    }
    made = api_client.post("/api/v1/polls/", body, format="json")
    assert made.status_code == 201, made.content
    poll = Poll.objects.get(pk=made.json()["id"])
    assert poll.circle == circle and poll.kind == "time"
    starts = sorted(o.starts_at for o in poll.options.all())
    assert [s.isoformat() for s in starts] == [
        "2030-01-15T12:00:00+00:00",
        "2030-01-16T12:00:00+00:00",
    ]
    assert AuditEvent.objects.filter(action="poll.create", object_id=str(poll.pk)).exists()

    past = api_client.post(
        "/api/v1/polls/", body | {"closes_at": "2020-01-01T00:00:00Z"}, format="json"
    )
    assert_problem(past, 400)
    one_option = api_client.post(
        "/api/v1/polls/", {**body, "kind": "single", "options": [{"label": "Only"}]}, format="json"
    )
    assert_problem(one_option, 400)
    assert Poll.objects.count() == 1
