"""A person chooses how they get each kind of email (immediately, in a daily or weekly digest, or
never), on their preferences page or with the one-click link in any event email, which sets that
kind to never, works without logging in and only for the person it names."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.models import AuditEvent
from members.models import Person
from patio import emails

pytestmark = pytest.mark.django_db
NOW, DAILY, WEEKLY, NEVER = (
    Person.Notify.IMMEDIATELY,
    Person.Notify.DAILY,
    Person.Notify.WEEKLY,
    Person.Notify.NEVER,
)
REMINDERS = "assembly_reminders"


def _path(person: Person, kind: str) -> str:
    return urlsplit(emails.unsubscribe_url(person_id=person.pk, kind=kind)).path


def test_every_app_registers_its_kinds_of_email():
    keys = [kind.key for kind in emails.kinds()]
    assert keys == [
        "opportunities",
        "team_invitations",
        "assembly_reminders",
        "circle_update_reminders",
        "assembly_minutes",
        "policy_reminders",
        "help_requests_for_my_coop",
        "pledge_reminders",
        "poll_reminders",
        "offer_replies",
        "offer_digests",
        "discussion_mentions",
        "discussion_replies",
        "feedback_requests",
        "mediation_cases",
        "mediation_news",
    ]


def test_an_event_email_carries_rfc_8058_headers_and_the_links_in_its_language(member):
    message = emails.event_message(
        kind=REMINDERS,
        person_id=member.pk,
        to="mila@camplight.coop",
        subject="Hello\n there",
        body="Body.",
        language="es",
        message_id="<assemblies.reminderdelivery.7@patio.example>",
    )
    assert message.extra_headers["Message-ID"] == "<assemblies.reminderdelivery.7@patio.example>"
    assert message.subject == "Hello there"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"]
    assert link.startswith("<http") and link.endswith(">") and "mailto:" not in link
    assert link.strip("<>") in message.body and "/me/emails/" in message.body
    assert "Dejar de recibir" in message.body or "Stop these emails" in message.body


def test_a_mailbox_for_unsubscribes_is_offered_too_when_one_is_set(member, settings):
    settings.EMAIL_UNSUBSCRIBE_MAILTO = "unsubscribe@patio.example"
    message = emails.event_message(
        kind=REMINDERS,
        person_id=member.pk,
        to="mila@camplight.coop",
        subject="S",
        body="B",
        language="en",
        message_id="<assemblies.reminderdelivery.7@patio.example>",
    )
    assert (
        "<mailto:unsubscribe@patio.example?subject=unsubscribe%20"
        in (message.extra_headers["List-Unsubscribe"])
    )


def test_the_one_click_post_turns_off_only_that_kind_for_only_that_person(
    member, colleague, client
):
    client.handler.enforce_csrf_checks = True  # as a mail program posts: no cookie, no token
    response = client.post(_path(member, REMINDERS), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    member.refresh_from_db()
    colleague.refresh_from_db()
    assert not member.wants_email(REMINDERS)
    assert member.wants_email("policy_reminders") and member.wants_email("opportunities")
    assert colleague.wants_email(REMINDERS)
    assert AuditEvent.objects.filter(action="person.email_unsubscribe").count() == 1

    assert client.post(_path(member, REMINDERS)).status_code == 200  # again: nothing changes
    member.refresh_from_db()
    assert member.email_choices == {REMINDERS: NEVER}
    assert AuditEvent.objects.filter(action="person.email_unsubscribe").count() == 1


@pytest.mark.parametrize("kind", [kind.key for kind in emails.kinds()])
def test_unsubscribing_from_any_kind_sets_that_kind_to_never(member, client, kind):
    Person.objects.filter(pk=member.pk).update(
        email_choices={kind: DAILY, "poll_reminders": WEEKLY}
    )
    client.post(_path(member, kind))
    member.refresh_from_db()
    assert member.email_choice(kind) == NEVER
    others = [other.key for other in emails.kinds() if other.key not in (kind, "poll_reminders")]
    assert all(member.email_choice(other) == NOW for other in others)
    if kind != "poll_reminders":
        assert member.email_choice("poll_reminders") == WEEKLY


def test_opening_the_link_asks_first_and_changes_nothing(member, client):
    response = client.get(_path(member, REMINDERS))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop the emails about “Assembly invitations and reminders”?" in page
    # The form posts back to an unsubscribe link for this person and kind (signed anew: a token
    # holds the second it was signed, so it is read back rather than compared as text).
    action = re.search(r'action="/emails/unsubscribe/([^/"]+)/"', page)
    assert action is not None
    assert emails.read_unsubscribe_token(action[1]) == (member.pk, REMINDERS)
    member.refresh_from_db()
    assert member.wants_email(REMINDERS)


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        signing.dumps([1, REMINDERS], salt="another.salt"),
        signing.dumps({"person": 1}, salt=emails.SALT),
        signing.dumps([1, "no_such_kind"], salt=emails.SALT),
        signing.dumps(["1", REMINDERS], salt=emails.SALT),
    ],
    # Fixed ids: a signed value holds the time it was signed, and every xdist worker must collect
    # the same test names.
    ids=["nonsense", "other-salt", "not-a-list", "unknown-kind", "person-id-as-text"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_or_damaged_link_is_refused_without_an_error_page(member, client, token, method):
    response = getattr(client, method)(f"/emails/unsubscribe/{token}/")
    assert response.status_code == 400
    assert "This unsubscribe link is not valid" in response.content.decode()
    member.refresh_from_db()
    assert member.email_choices == {}


def test_a_changed_link_does_not_unsubscribe_someone_else(member, colleague, client):
    mine = emails.unsubscribe_token(person_id=member.pk, kind=REMINDERS)
    theirs = emails.unsubscribe_token(person_id=colleague.pk, kind=REMINDERS)
    # Their payload with my signature: what someone holding my link could try.
    forged = theirs.split(":", 1)[0] + ":" + mine.split(":", 1)[1]
    assert forged != theirs
    assert client.post(f"/emails/unsubscribe/{forged}/").status_code == 400
    colleague.refresh_from_db()
    assert colleague.wants_email(REMINDERS)


def test_a_link_for_a_person_who_is_gone_is_refused(member, client):
    path = _path(member, REMINDERS)
    member.delete()
    assert client.get(path).status_code == 400
    assert client.post(path).status_code == 400


# the preferences page -----------------------------------------------------------------------------
def test_the_preferences_page_needs_a_login(client):
    response = client.get("/me/emails/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_person_chooses_per_kind_on_the_preferences_page(member, login):
    client = login(member.user)
    page = client.get("/me/emails/").content.decode()
    for label in ("Opportunities that fit me", "Team invitations", "Pledge reminders"):
        assert label in page
    assert page.count("In a daily digest") == len(emails.kinds())
    choices = {f"kind_{kind.key}": NOW for kind in emails.kinds()}
    choices.update(
        kind_opportunities=WEEKLY, kind_discussion_replies=DAILY, kind_policy_reminders=NEVER
    )

    response = client.post("/me/emails/", choices)

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email_choices == {
        "discussion_replies": DAILY,
        "opportunities": WEEKLY,
        "policy_reminders": NEVER,
    }
    assert member.email_choice("team_invitations") == NOW
    assert not member.wants_email("policy_reminders") and member.wants_email("opportunities")
    page = client.get("/me/emails/").content.decode()
    assert _checked(page, "kind_opportunities") == WEEKLY
    assert _checked(page, "kind_discussion_replies") == DAILY
    assert _checked(page, "kind_policy_reminders") == NEVER
    assert _checked(page, "kind_team_invitations") == NOW


def _checked(page: str, name: str) -> str:
    """The value of the checked radio button of that name."""
    match = re.search(rf'<input type="radio" name="{name}" value="(\w+)"[^>]*? checked', page)
    assert match, name
    return match.group(1)


def test_a_bad_choice_is_a_form_error_not_a_500(member, login):
    choices = {f"kind_{kind.key}": NOW for kind in emails.kinds()}
    response = login(member.user).post("/me/emails/", {**choices, "kind_opportunities": "hourly"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    member.refresh_from_db()
    assert member.email_choice("opportunities") == NOW


@pytest.mark.django_db(transaction=True)
def test_the_choices_people_had_made_are_carried_over(member, colleague):
    """members 0017: the opportunities' choice and the kinds turned off become choices per kind;
    someone who never chose keeps every kind immediately."""
    executor = MigrationExecutor(connection)
    before = [("members", "0016_organisation_country_index")]
    executor.migrate(before)
    try:
        OldPerson = executor.loader.project_state(before).apps.get_model("members", "Person")
        OldPerson.objects.filter(pk=member.pk).update(
            opportunity_notifications="weekly", email_opt_outs=[REMINDERS, "poll_reminders"]
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    member.refresh_from_db()
    colleague.refresh_from_db()
    assert member.email_choices == {
        "opportunities": WEEKLY,
        REMINDERS: NEVER,
        "poll_reminders": NEVER,
    }
    assert colleague.email_choices == {}
    assert colleague.email_choice("opportunities") == NOW


def test_the_profile_links_to_the_preferences_page(member, login):
    assert "/me/emails/" in login(member.user).get("/me/").content.decode()


def test_opening_the_link_again_after_stopping_says_it_is_done(member, client):
    client.post(_path(member, REMINDERS))
    page = client.get(_path(member, REMINDERS)).content.decode()
    assert "you will no longer get emails about “Assembly invitations and reminders”" in page
    assert 'action="/emails/unsubscribe/' not in page
