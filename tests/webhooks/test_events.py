"""The services report what happened through `webhooks.events.emit`, once, inside the write's
transaction, and each event reaches only the subscriptions that may read its subject."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from assemblies import services as assembly_services
from members.models import Organisation
from members.services import organisation_create, organisation_update
from policies.services import policy_create
from projects.models import Opportunity
from projects.services.opportunities import opportunity_transition
from tests.api_helpers import documented_paths
from tests.assemblies.conftest import facilitator, note_taker, open_assembly  # noqa: F401
from tests.assemblies.factories import AssemblyFactory
from tests.conftest import queued
from tests.policies.conftest import amendment, circle, in_round, policy, voters  # noqa: F401
from tests.projects.factories import OpportunityFactory, RoleFactory
from tests.webhooks.conftest import EVERY_EVENT
from webhooks import events
from webhooks.models import Delivery, Event
from webhooks.services import event_fan_out
from webhooks.tasks import fan_out

LOOPBACK = "http://127.0.0.1:9/hooks"


def _kinds() -> list[str]:
    return list(Event.objects.order_by("id").values_list("kind", flat=True))


@pytest.fixture
def listening(bot, member_partner):
    """A partner tool and a member's tool, both subscribed to every event."""
    bot.subscribe(LOOPBACK, EVERY_EVENT)
    member_partner.subscribe(LOOPBACK, EVERY_EVENT)
    return bot, member_partner


def _delivered_to(event: Event) -> set[str]:
    event_fan_out(event_id=event.pk)
    return set(
        Delivery.objects.filter(event=event).values_list(
            "subscription__token__user__email", flat=True
        )
    )


def test_every_event_type_the_brief_names_is_registered():
    assert [kind.key for kind in events.kinds()] == EVERY_EVENT


def test_nothing_is_written_while_nobody_subscribes(coop, network_admin):
    organisation_update(actor=network_admin, organisation=coop, data={"city": "Lovech"})

    assert not Event.objects.exists()
    assert queued(fan_out) == []


def test_adding_a_coop_is_one_created_event_not_an_update_too(listening, network_admin):
    organisation = organisation_create(
        actor=network_admin,
        name="Tech Coop",
        kind=Organisation.Kind.WORKER_COOP,
        country="ES",
        short_description="Software.",
        data={"city": "Madrid"},
    )

    assert _kinds() == ["organisation.created"]
    event = Event.objects.get()
    assert event.payload["slug"] == organisation.slug and event.payload["city"] == "Madrid"
    # An applicant is for members: the partner tool, which reads as a visitor, is not told.
    assert not event.public
    assert _delivered_to(event) == {"mila@camplight.coop"}
    assert queued(fan_out) == [[event.pk]]


def test_a_coop_that_leaves_is_told_to_those_who_saw_it_even_though_it_is_hidden_now(
    listening, coop, network_admin
):
    organisation_update(actor=network_admin, organisation=coop, data={"status": "left"})
    organisation_update(actor=network_admin, organisation=coop, data={"city": "Elsewhere"})
    organisation_update(actor=network_admin, organisation=coop, data={"city": "Elsewhere"})

    assert _kinds() == ["organisation.left", "organisation.updated"]  # no change, no event
    left, updated = Event.objects.order_by("id")
    assert left.public and left.payload["status"] == "left"
    assert _delivered_to(left) == {"sync@partner.example", "mila@camplight.coop"}
    assert _delivered_to(updated) == {"mila@camplight.coop"}


def test_opening_and_closing_an_opportunity_are_told_once_each(listening, network_admin):
    opportunity = OpportunityFactory(
        status=Opportunity.Status.DRAFT, visibility=Opportunity.Visibility.PUBLIC
    )
    RoleFactory(opportunity=opportunity)

    for status in ("open", "matching", "open", "closed"):
        opportunity_transition(
            actor=network_admin, opportunity=opportunity, to_status=status, leave_unfilled=True
        )

    assert _kinds() == ["opportunity.opened", "opportunity.closed"]
    opened = Event.objects.get(kind="opportunity.opened")
    assert opened.public and opened.payload["status"] == "open"
    assert _delivered_to(opened) == {"sync@partner.example", "mila@camplight.coop"}


def test_a_members_only_opportunity_reaches_members_tokens_only(listening, network_admin):
    opportunity = OpportunityFactory(status=Opportunity.Status.DRAFT)
    RoleFactory(opportunity=opportunity)

    opportunity_transition(actor=network_admin, opportunity=opportunity, to_status="open")

    event = Event.objects.get()
    assert not event.public
    assert _delivered_to(event) == {"mila@camplight.coop"}


def test_an_opportunitys_payload_is_what_the_api_answers(listening, member_partner, network_admin):
    opportunity = OpportunityFactory(status=Opportunity.Status.DRAFT)
    RoleFactory(opportunity=opportunity, title="Designer")

    opportunity_transition(actor=network_admin, opportunity=opportunity, to_status="open")

    payload = Event.objects.get().payload
    api = member_partner.client().get(f"/api/v1/opportunities/{opportunity.pk}/").json()
    assert {k: v for k, v in payload.items() if k != "url"} == {
        k: v for k, v in api.items() if k != "url"
    }
    assert payload["roles"][0]["title"] == "Designer"


def test_an_assembly_is_told_when_scheduled_and_when_moved_and_only_to_members(
    listening, network_admin
):
    start = timezone.now() + timedelta(days=20)
    assembly = assembly_services.assembly_schedule(
        actor=network_admin, title="July assembly", start=start
    )
    assembly_services.assembly_update(
        actor=network_admin, assembly=assembly, data={"title": "July assembly (online)"}
    )
    assembly_services.assembly_update(
        actor=network_admin, assembly=assembly, data={"start": start + timedelta(hours=2)}
    )

    assert _kinds() == ["assembly.scheduled", "assembly.scheduled"]
    first, moved = Event.objects.order_by("id")
    assert moved.payload["title"] == "July assembly (online)"
    assert moved.payload["going"] == 0
    assert _delivered_to(first) == {"mila@camplight.coop"}


def test_a_series_tells_each_new_assembly_once(listening):
    from tests.assemblies.factories import SeriesFactory

    series = SeriesFactory()
    assembly_services.series_extend(series=series, count=2)
    assembly_services.series_extend(series=series, count=2)

    assert _kinds() == ["assembly.scheduled", "assembly.scheduled"]


def test_a_recorded_decision_is_told(listening, open_assembly, facilitator):  # noqa: F811
    decision = assembly_services.decision_record(
        actor=facilitator.user,
        assembly=open_assembly,
        text="We adopt the new onboarding guide.",
        method="consensus",
        outcome="adopted",
        without_quorum=True,
    )

    event = Event.objects.get(kind="decision.recorded")
    assert event.subject_id == decision.pk and event.payload["text"] == decision.text
    assert _delivered_to(event) == {"mila@camplight.coop"}


def test_a_policy_recorded_with_its_founding_text_is_an_adopted_version(listening, network_admin):
    founded = policy_create(
        actor=network_admin,
        title="Code of conduct",
        category="other",
        text="Be kind.",
        visibility="public",
    )

    event = Event.objects.get()
    assert event.kind == "policy.version_adopted" and event.public
    assert event.payload["slug"] == founded.slug and event.payload["current_version"] == 1
    assert event.payload["versions"][0]["text"] == "Be kind."


def test_an_adopted_amendment_is_the_policys_next_version_told_to_members(
    listening,
    in_round,  # noqa: F811
    network_admin,
):
    from policies import services as policy_services

    round = policy_services.open_round(in_round)
    policy_services.rounds_close_due(now=round.closes_at)
    policy_services.amendment_adopt(actor=network_admin, amendment=in_round)

    event = Event.objects.get(kind="policy.version_adopted")
    assert event.payload["current_version"] == 2
    assert event.payload["versions"][0]["text"] == in_round.text
    assert not event.public  # a members' policy
    assert _delivered_to(event) == {"mila@camplight.coop"}


def test_a_subscription_made_after_an_event_does_not_get_it(bot, coop, network_admin):
    bot.subscribe(LOOPBACK, ["organisation.created"])
    organisation_update(actor=network_admin, organisation=coop, data={"city": "Vidin"})
    assert not Event.objects.exists()  # the bot wants another kind

    AssemblyFactory()  # unrelated rows change nothing
    assert not Event.objects.exists()


def test_the_schema_documents_each_event_with_the_apis_own_component(api_client, db):
    documented_paths(api_client)
    schema = api_client.get("/api/v1/schema/?format=json").json()
    hooks = schema["x-webhooks"]
    assert sorted(hooks) == EVERY_EVENT
    organisation = schema["paths"]["/api/v1/organisations/{slug}/"]["get"]["responses"]["200"]
    api_ref = organisation["content"]["application/json"]["schema"]["$ref"]
    body = hooks["organisation.updated"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["properties"]["data"]["$ref"] == api_ref
    for name, hook in hooks.items():
        ref = hook["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert ref["properties"]["type"]["enum"] == [name]
        component = ref["properties"]["data"]["$ref"].rsplit("/", 1)[-1]
        assert component in schema["components"]["schemas"]
        headers = {p["name"] for p in hook["post"]["parameters"]}
        assert headers == {"webhook-id", "webhook-timestamp", "webhook-signature"}
