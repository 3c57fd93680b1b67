"""Delegated votes in polls, by the assemblies' rules: a delegate's ballot counts for a
delegator who does not vote, the delegator's own ballot overrides it, a delegation goes one
step only and one person carries at most the network's limit, it is revoked until the close,
never given in an anonymous poll, counted toward quorum, shown in the tally and audited."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assemblies.models import ReminderSettings
from audit.models import AuditEvent
from polls import selectors, services
from polls.models import Poll, PollDelegation
from polls.tasks import send_poll_reminders
from tests.circles.factories import CircleMembershipFactory
from tests.factories import PersonFactory
from tests.polls.conftest import option_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def third(circle, coop):
    person = PersonFactory(organisation=coop, display_name="Tea Third")
    CircleMembershipFactory(circle=circle, person=person)
    return person


def _scores(poll: Poll, *values: int) -> dict:
    return {"scores": {str(pk): n for pk, n in zip(option_ids(poll), values, strict=False)}}


def _refusal(error: pytest.ExceptionInfo) -> str:
    return error.value.error_dict["delegate"][0].code


def test_the_delegates_ballot_counts_for_the_delegator_who_does_not_vote(make_poll, voter, author):
    poll = make_poll("score", quorum=2)
    services.poll_delegate(actor=voter.user, poll=poll, delegate=author)
    services.vote_cast(actor=author.user, poll=poll, answer=_scores(poll, 5, 1, 0))

    poll = Poll.objects.get(pk=poll.pk)
    turnout = selectors.turnout(poll)
    assert (turnout.voted, turnout.delegated, turnout.reached) == (2, 1, True)
    result = selectors.results(poll, author.user)
    first = option_ids(poll)[0]
    assert result["ballots"] == 1 and result["delegated"] == 1
    assert result["options"][first]["total"] == 10
    assert AuditEvent.objects.filter(action="poll.delegation", object_id=str(poll.pk)).exists()


def test_the_delegators_own_ballot_overrides_the_delegation(make_poll, voter, author):
    poll = make_poll("score")
    services.poll_delegate(actor=voter.user, poll=poll, delegate=author)
    services.vote_cast(actor=author.user, poll=poll, answer=_scores(poll, 5, 0, 0))
    services.vote_cast(actor=voter.user, poll=poll, answer=_scores(poll, 1, 0, 0))

    poll = Poll.objects.get(pk=poll.pk)
    assert selectors.turnout(poll).delegated == 0
    assert selectors.results(poll, voter.user)["options"][option_ids(poll)[0]]["total"] == 6


def test_a_delegation_goes_one_step_only(make_poll, voter, author, third):
    poll = make_poll()
    services.poll_delegate(actor=third.user, poll=poll, delegate=voter)

    with pytest.raises(ValidationError) as to_a_delegator:
        services.poll_delegate(actor=author.user, poll=poll, delegate=third)
    with pytest.raises(ValidationError) as by_a_carrier:
        services.poll_delegate(actor=voter.user, poll=poll, delegate=author)

    assert _refusal(to_a_delegator) == "chain"
    assert _refusal(by_a_carrier) == "carries"
    assert PollDelegation.objects.count() == 1


def test_one_person_carries_as_many_votes_as_the_network_allows(make_poll, voter, author, third):
    poll = make_poll()
    services.poll_delegate(actor=voter.user, poll=poll, delegate=author)
    with pytest.raises(ValidationError) as full:
        services.poll_delegate(actor=third.user, poll=poll, delegate=author)
    assert _refusal(full) == "full"

    limits = ReminderSettings.load()
    limits.delegations_per_person = 2
    limits.save()
    services.poll_delegate(actor=third.user, poll=poll, delegate=author)
    assert PollDelegation.objects.filter(delegate=author).count() == 2


def test_no_delegation_in_an_anonymous_poll_to_a_non_voter_or_after_the_close(
    make_poll, voter, author, outsider
):
    anonymous = make_poll(anonymous=True)
    with pytest.raises(ValidationError, match="anonymous poll"):
        services.poll_delegate(actor=voter.user, poll=anonymous, delegate=author)
    poll = make_poll()
    with pytest.raises(ValidationError) as not_a_voter:
        services.poll_delegate(actor=voter.user, poll=poll, delegate=outsider)
    assert not_a_voter.value.error_dict["delegate"][0].code == "not_a_voter"
    with pytest.raises(PermissionDenied):  # outside the circle: no vote to give
        services.poll_delegate(actor=outsider.user, poll=poll, delegate=author)
    services.poll_delegate(actor=voter.user, poll=poll, delegate=author)
    services.poll_close(actor=author.user, poll=poll)
    with pytest.raises(services.PollClosed):
        services.poll_delegation_revoke(actor=voter.user, poll=poll)
    assert PollDelegation.objects.get().revoked_at is None


def test_a_revoked_delegation_counts_no_more_and_only_its_delegator_revokes_it(
    make_poll, voter, author
):
    poll = make_poll("score")
    services.poll_delegate(actor=voter.user, poll=poll, delegate=author)
    services.vote_cast(actor=author.user, poll=poll, answer=_scores(poll, 5, 0, 0))
    with pytest.raises(ValidationError):  # the delegate has given nothing to take back
        services.poll_delegation_revoke(actor=author.user, poll=poll)

    services.poll_delegation_revoke(actor=voter.user, poll=poll)

    assert selectors.turnout(Poll.objects.get(pk=poll.pk)).delegated == 0
    assert AuditEvent.objects.filter(action="poll.delegation_revoke").count() == 1
    services.poll_delegate(actor=voter.user, poll=poll, delegate=author)  # may give it again
    assert PollDelegation.objects.filter(revoked_at__isnull=True).count() == 1


def test_the_reminder_skips_those_who_delegated(make_poll, voter, author, coordinator):
    from datetime import timedelta

    from django.utils import timezone

    poll = make_poll(remind_hours_before=24, closes_at=timezone.now() + timedelta(hours=12))
    services.poll_delegate(actor=voter.user, poll=poll, delegate=author)

    send_poll_reminders()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [author.email_address, coordinator.email_address]
    )


def test_the_page_gives_the_vote_shows_it_in_the_tally_and_takes_it_back(
    make_poll, voter, author, login
):
    poll = make_poll("score")
    page = login(voter.user)
    form = page.get(poll.get_absolute_url()).content.decode()
    assert "Delegate your vote" in form and "Alba Author" in form

    given = page.post(reverse("polls:delegate", args=[poll.pk]), {"delegate": author.pk})
    assert given.status_code == 302
    assert "Your vote is delegated to Alba Author." in page.get(given["Location"]).content.decode()
    services.vote_cast(actor=author.user, poll=poll, answer=_scores(poll, 4, 2, 0))
    shown = login(author.user).get(poll.get_absolute_url()).content.decode()
    assert "1 by delegation" in shown and "Vera Voter → Alba Author" in shown

    page = login(voter.user)
    page.post(reverse("polls:delegation_revoke", args=[poll.pk]))
    assert not PollDelegation.objects.filter(revoked_at__isnull=True).exists()


def test_a_refused_delegation_is_a_form_error_and_problem_json(
    make_poll, voter, author, third, login, api_client
):
    poll = make_poll()
    services.poll_delegate(actor=third.user, poll=poll, delegate=author)

    refused = login(voter.user).post(
        reverse("polls:delegate", args=[poll.pk]), {"delegate": author.pk}
    )
    assert refused.status_code == 400
    assert "already carries as many votes" in refused.content.decode()
    api_client.force_login(voter.user)
    problem = api_client.post(
        f"/api/v1/polls/{poll.pk}/delegation/", {"delegate": {"id": author.pk}}, format="json"
    )
    assert problem.status_code == 400
    assert problem["Content-Type"].startswith("application/problem+json")
    assert PollDelegation.objects.count() == 1


@pytest.mark.parametrize("size", [2, 12])
def test_the_poll_page_keeps_its_queries_with_many_delegations(
    make_poll, author, circle, coop, login, django_assert_max_num_queries, size
):
    poll = make_poll("score")
    for i in range(size):
        giver = PersonFactory(organisation=coop, display_name=f"Giver {i}")
        carrier = PersonFactory(organisation=coop, display_name=f"Carrier {i}")
        for person in (giver, carrier):
            CircleMembershipFactory(circle=circle, person=person)
        services.poll_delegate(actor=giver.user, poll=poll, delegate=carrier)
        services.vote_cast(actor=carrier.user, poll=poll, answer=_scores(poll, 3, 3, 3))
    client = login(author.user)
    with django_assert_max_num_queries(28):
        response = client.get(poll.get_absolute_url())
    assert f"{size} by delegation" in response.content.decode()
