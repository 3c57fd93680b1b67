"""Who may do what: every role against every action, through the pages and through the API.

Read the table first. Each row is an action, each column a role, each cell what that role gets:

- a status code (200, 201, 401, 403),
- LOGIN: the page sends them to the login page (302),
- SAVED: the page saved the change and redirected (302 somewhere other than the login page),
- SHOWN / ABSENT: whether a contact field of another person is in what they receive,
- N_A: the action means nothing for this role (no case is generated).

Token roles send `Authorization: Bearer …` for a token acting as `member`; pages ignore tokens, so
on pages a token holder is a visitor. A deactivated user is logged in with force_login (their old
session) and must be treated as a visitor; their token is refused with 401.

Every write the table forbids must leave the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import token_create
from members.forms import OrganisationAdminForm, ProfileForm
from members.models import Invitation, Organisation, Person, PersonSkill, Visibility
from tests import matrix
from tests.matrix import LOGIN, N_A, SAVED

SHOWN, ABSENT = "SHOWN", "ABSENT"

ROLES = (
    "visitor",
    "member",  # a member of the co-op `camplight`
    "other_member",  # a member of another co-op
    "coop_admin",  # admin of `camplight`
    "network_admin",
    "token_read",  # read token acting as `member`
    "token_write",  # write token acting as `member`
    "deactivated",  # a deactivated member of `camplight`, with an old session
    "deactivated_token",  # a token of that deactivated member
)

# The person whose contact fields are looked at, and whom the roles try to edit: `colleague`,
# a member of `camplight` with a public profile, a public website, an email for members and a
# hidden phone number.
#
#                                visitor member  other   c-admin n-admin tok-r   tok-w   deact   deact-tok
MATRIX = {
    "page: public field": (SHOWN, SHOWN, SHOWN, SHOWN, SHOWN, SHOWN, SHOWN, SHOWN, SHOWN),
    "page: members-only field": (
        ABSENT,
        SHOWN,
        SHOWN,
        SHOWN,
        SHOWN,
        ABSENT,
        ABSENT,
        ABSENT,
        ABSENT,
    ),
    "page: hidden field": (ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT),
    "api: public field": (SHOWN, SHOWN, SHOWN, SHOWN, SHOWN, SHOWN, SHOWN, SHOWN, 401),
    "api: members-only field": (ABSENT, SHOWN, SHOWN, SHOWN, SHOWN, SHOWN, SHOWN, ABSENT, 401),
    "api: hidden field": (ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, 401),
    # Network admins have no profile of their own: /me/ tells them so.
    "page: edit own profile": (LOGIN, SAVED, SAVED, SAVED, 403, LOGIN, LOGIN, LOGIN, LOGIN),
    # A visitor has no profile: they try the member's.
    "api: edit own profile": (401, 200, 200, 200, N_A, 403, 200, 401, 401),
    # There is no page for editing someone else's profile: only the API can.
    "api: edit someone else's": (401, 403, 403, 403, 200, 403, 403, 401, 401),
    "page: open co-op form": (LOGIN, 403, 403, 200, 200, LOGIN, LOGIN, LOGIN, LOGIN),
    "page: save co-op": (LOGIN, 403, 403, SAVED, SAVED, LOGIN, LOGIN, LOGIN, LOGIN),
    "api: edit co-op": (401, 403, 403, 200, 200, 403, 403, 401, 401),
    "page: invite to co-op": (LOGIN, 403, 403, SAVED, SAVED, LOGIN, LOGIN, LOGIN, LOGIN),
    "page: open new co-op form": (LOGIN, 403, 403, 403, 200, LOGIN, LOGIN, LOGIN, LOGIN),
    "page: add a co-op": (LOGIN, 403, 403, 403, SAVED, LOGIN, LOGIN, LOGIN, LOGIN),
    # Each lists their own tokens; a token acts only as its owner (a bot's aside: accounts tests).
    # A token never makes tokens, not even a write token (accounts.reauth).
    "api: list tokens": (401, 200, 200, 200, 200, 200, 200, 401, 401),
    "api: create token": (401, 201, 403, 403, 403, 403, 403, 401, 401),
}

PUBLIC_WEBSITE = "https://ivan.example.coop/"
MEMBERS_EMAIL = "ivan.contact@example.coop"
HIDDEN_PHONE = "+359 88 555 0101"
NEW_BIO = "Changed through the permission matrix."
NEW_CITY = "Plovdiv"
INVITEE = "newcomer@example.coop"
NEW_COOP = "Matrix Makers"
NEW_TOKEN = "Matrix token"


# The cast ---------------------------------------------------------------------------------------
@dataclass
class Caller:
    """One role's browser (pages) and partner tool (API); remembers the last response."""

    page_client: Client
    api_client: APIClient
    last: object = None

    def page(self, method: str, url: str, data: dict | None = None) -> HttpResponse:
        self.last = getattr(self.page_client, method)(url, data or {})
        return self.last

    def api(self, method: str, url: str, data: dict | None = None) -> HttpResponse:
        self.last = getattr(self.api_client, method)(url, data, format="json")
        return self.last


@dataclass(kw_only=True)
class World(matrix.Cast):
    coop: Organisation
    other_coop: Organisation
    people: dict[str, Person | None]

    def own_person(self, role: str) -> Person | None:
        """The profile a role calls its own; a visitor, who has none, tries the member's."""
        return self.people["member"] if role == "visitor" else self.people[role]

    def caller(self, role: str) -> Caller:
        return Caller(*self.clients(role))


@pytest.fixture
def world(
    coop, other_coop, member, colleague, coop_admin, outsider, network_admin, deactivated
) -> World:
    colleague.profile_visibility = Person.ProfileVisibility.PUBLIC
    colleague.website, colleague.website_visibility = PUBLIC_WEBSITE, Visibility.PUBLIC
    colleague.contact_email = MEMBERS_EMAIL
    colleague.contact_email_visibility = Visibility.MEMBERS
    colleague.phone, colleague.phone_visibility = HIDDEN_PHONE, Visibility.HIDDEN
    colleague.save()
    people = {
        "member": member,
        "other_member": outsider,
        "coop_admin": coop_admin,
        "network_admin": None,
        "token_read": member,
        "token_write": member,
        "deactivated": deactivated,
        "deactivated_token": deactivated,
        "colleague": colleague,
    }
    users = {role: person.user for role, person in people.items() if person is not None}
    users["network_admin"] = network_admin
    secrets = matrix.api_tokens(created_by=network_admin, user=member.user) | matrix.api_tokens(
        created_by=network_admin,
        user=deactivated.user,
        scopes={"deactivated_token": ApiToken.Scope.WRITE},
    )
    return World(coop=coop, other_coop=other_coop, people=people, users=users, secrets=secrets)


# What each action does --------------------------------------------------------------------------
Action = Callable[["World", Caller, str], matrix.Outcome]


def _field_on_page(value: str) -> Action:
    def run(world: World, caller: Caller, role: str) -> matrix.Outcome:
        response = caller.page("get", world.people["colleague"].get_absolute_url())
        if response.status_code != 200:
            return response.status_code
        return SHOWN if value in response.content.decode() else ABSENT

    return run


def _field_in_api(name: str, value: str) -> Action:
    def run(world: World, caller: Caller, role: str) -> matrix.Outcome:
        response = caller.api("get", f"/api/v1/people/{world.people['colleague'].pk}/")
        if response.status_code != 200:
            return response.status_code
        in_body, has_key = value in response.content.decode(), name in response.json()
        if in_body and has_key:
            return SHOWN
        return ABSENT if not (in_body or has_key) else f"half-shown (key={has_key})"

    return run


def _profile_form_data(person: Person, **changes) -> dict:
    """What the /me/ form posts when the person changes `changes` and keeps the rest."""
    values = model_to_dict(person, fields=ProfileForm._meta.fields) | changes
    data = {f"profile-{k}": "" if v is None else str(v) for k, v in values.items()}
    for prefix in ("skills", "languages"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
        data |= {f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    return data


def _coop_form_data(organisation: Organisation, **changes) -> dict:
    """What the co-op form posts (the network admin's fuller form; co-op admins' ignores extras)."""
    form = OrganisationAdminForm(instance=organisation)
    data = {name: form[name].value() for name in form.fields if name != "logo"} | changes
    return {k: "" if v is None else v for k, v in data.items()}


def edit_own_profile_page(world: World, caller: Caller, role: str) -> matrix.Outcome:
    person = world.own_person(role) or world.people["member"]
    data = _profile_form_data(person, bio=NEW_BIO)
    return matrix.outcome(caller.page("post", reverse("members:profile"), data))


def edit_own_profile_api(world: World, caller: Caller, role: str) -> matrix.Outcome:
    url = f"/api/v1/people/{world.own_person(role).pk}/"
    return caller.api("patch", url, {"bio": NEW_BIO}).status_code


def open_coop_form(world: World, caller: Caller, role: str) -> matrix.Outcome:
    url = reverse("members:organisation_edit", args=[world.coop.slug])
    return matrix.outcome(caller.page("get", url))


def save_coop_page(world: World, caller: Caller, role: str) -> matrix.Outcome:
    url = reverse("members:organisation_edit", args=[world.coop.slug])
    return matrix.outcome(caller.page("post", url, _coop_form_data(world.coop, city=NEW_CITY)))


def invite_page(world: World, caller: Caller, role: str) -> matrix.Outcome:
    url = reverse("members:organisation_invitations", args=[world.coop.slug])
    data = {"email": INVITEE, "display_name": "New Comer"}
    return matrix.outcome(caller.page("post", url, data))


def open_new_coop_form(world: World, caller: Caller, role: str) -> matrix.Outcome:
    return matrix.outcome(caller.page("get", reverse("members:organisation_new")))


def add_coop_page(world: World, caller: Caller, role: str) -> matrix.Outcome:
    data = {
        "name": NEW_COOP,
        "kind": Organisation.Kind.WORKER_COOP,
        "country": "PT",
        "short_description": "Builds things.",
        "email": INVITEE,
        "display_name": "First Admin",
    }
    return matrix.outcome(caller.page("post", reverse("members:organisation_new"), data))


def edit_coop_api(world: World, caller: Caller, role: str) -> matrix.Outcome:
    url = f"/api/v1/organisations/{world.coop.slug}/"
    return caller.api("patch", url, {"city": NEW_CITY}).status_code


def edit_someone_else_api(world: World, caller: Caller, role: str) -> matrix.Outcome:
    url = f"/api/v1/people/{world.people['colleague'].pk}/"
    return caller.api("patch", url, {"bio": NEW_BIO}).status_code


def list_tokens_api(world: World, caller: Caller, role: str) -> matrix.Outcome:
    return caller.api("get", "/api/v1/tokens/").status_code


def create_token_api(world: World, caller: Caller, role: str) -> matrix.Outcome:
    data = {"name": NEW_TOKEN, "user": world.users["member"].email, "scope": "read"}
    return caller.api("post", "/api/v1/tokens/", data).status_code


ACTIONS = {
    "page: public field": _field_on_page(PUBLIC_WEBSITE),
    "page: members-only field": _field_on_page(MEMBERS_EMAIL),
    "page: hidden field": _field_on_page(HIDDEN_PHONE),
    "api: public field": _field_in_api("website", PUBLIC_WEBSITE),
    "api: members-only field": _field_in_api("contact_email", MEMBERS_EMAIL),
    "api: hidden field": _field_in_api("phone", HIDDEN_PHONE),
    "page: edit own profile": edit_own_profile_page,
    "api: edit own profile": edit_own_profile_api,
    "page: open co-op form": open_coop_form,
    "page: save co-op": save_coop_page,
    "api: edit co-op": edit_coop_api,
    "api: edit someone else's": edit_someone_else_api,
    "page: invite to co-op": invite_page,
    "page: open new co-op form": open_new_coop_form,
    "page: add a co-op": add_coop_page,
    "api: list tokens": list_tokens_api,
    "api: create token": create_token_api,
}

# For each write: did it land? (asked only when the table says the role may do it)
WRITES = {
    "page: edit own profile": lambda world, role: (
        Person.objects.get(pk=world.own_person(role).pk).bio == NEW_BIO
    ),
    "api: edit own profile": lambda world, role: (
        Person.objects.get(pk=world.own_person(role).pk).bio == NEW_BIO
    ),
    "api: edit someone else's": lambda world, role: (
        Person.objects.get(pk=world.people["colleague"].pk).bio == NEW_BIO
    ),
    "page: save co-op": lambda world, role: (
        Organisation.objects.get(pk=world.coop.pk).city == NEW_CITY
    ),
    "api: edit co-op": lambda world, role: (
        Organisation.objects.get(pk=world.coop.pk).city == NEW_CITY
    ),
    "page: invite to co-op": lambda world, role: Invitation.objects.filter(
        organisation=world.coop, email=INVITEE
    ).exists(),
    "page: add a co-op": lambda world, role: (
        Organisation.objects.filter(name=NEW_COOP).exists()
        and Invitation.objects.filter(email=INVITEE, as_coop_admin=True).exists()
    ),
    "api: create token": lambda world, role: ApiToken.objects.filter(name=NEW_TOKEN).exists(),
}
# Edits of a profile or a co-op's details are not audited (invitations, new co-ops and tokens are).
NOT_AUDITED = {
    "page: edit own profile",
    "api: edit own profile",
    "api: edit someone else's",
    "page: save co-op",
    "api: edit co-op",
}


def database_state() -> dict:
    """Everything a forbidden write could touch (token use times aside: reading moves them)."""
    rows = lambda model, **kw: list(model.objects.order_by("pk").values(**kw))  # noqa: E731
    return {
        "people": rows(Person),
        "skills": rows(PersonSkill),
        "organisations": rows(Organisation),
        "invitations": rows(Invitation),
        "tokens": list(ApiToken.objects.order_by("pk").values("pk", "name", "revoked_at")),
        "audit": matrix.audit_count(),
    }


# The matrix -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    caller = world.caller(role)
    reads = ACTIONS.keys() - WRITES.keys()
    with matrix.writes_as_allowed(
        action, expected, database_state, reads=reads, not_audited=NOT_AUDITED
    ):
        got = ACTIONS[action](world, caller, role)
        assert got == expected, getattr(caller.last, "content", b"")[:500]
    if action.startswith("api:") and got in {401, 403}:
        response = caller.last
        assert response["Content-Type"].startswith("application/problem+json")
        assert response.json()["status"] == got
        if got == 401:
            assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    if action in WRITES and matrix.allowed(action, expected):
        assert WRITES[action](world, role), f"{role} was allowed to {action} but nothing changed"


# Rules the table cannot show ---------------------------------------------------------------------
def test_person_sees_their_own_hidden_fields(world):
    colleague = world.people["colleague"]
    caller = Client()
    caller.force_login(colleague.user)
    assert HIDDEN_PHONE in caller.get(colleague.get_absolute_url()).content.decode()
    api = APIClient()
    api.force_login(colleague.user)
    assert api.get(f"/api/v1/people/{colleague.pk}/").json()["phone"] == HIDDEN_PHONE


def test_hidden_field_never_appears_in_the_people_list(world):
    for role in ROLES[:-1]:
        response = world.caller(role).api("get", "/api/v1/people/?page_size=100")
        assert response.status_code == 200
        assert HIDDEN_PHONE not in response.content.decode(), role


def test_visitor_sees_no_members_only_profile(world):
    private = world.people["member"]
    assert private.profile_visibility == Person.ProfileVisibility.MEMBERS
    caller = world.caller("visitor")
    assert caller.page("get", private.get_absolute_url()).status_code == 404
    assert caller.api("get", f"/api/v1/people/{private.pk}/").status_code == 404
    assert world.caller("other_member").page("get", private.get_absolute_url()).status_code == 200


def test_deactivated_user_session_is_anonymous(world):
    caller = world.caller("deactivated")
    response = caller.page("get", reverse("members:profile"))
    assert matrix.outcome(response) == LOGIN
    assert caller.api("get", "/api/v1/tokens/").status_code == 401


def test_write_token_of_coop_admin_may_edit_their_coop_and_read_token_may_not(world):
    admin = world.users["coop_admin"]
    url = f"/api/v1/organisations/{world.coop.slug}/"
    for scope, expected_status in [(ApiToken.Scope.READ, 403), (ApiToken.Scope.WRITE, 200)]:
        _token, secret = token_create(actor=admin, user=admin, name=scope, scope=scope)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert api.patch(url, {"city": NEW_CITY}, format="json").status_code == expected_status
        changed = Organisation.objects.get(pk=world.coop.pk).city == NEW_CITY
        assert changed is (expected_status == 200)


def test_coop_admin_cannot_edit_another_coop(world):
    caller = world.caller("coop_admin")
    before = database_state()
    url = reverse("members:organisation_edit", args=[world.other_coop.slug])
    form = _coop_form_data(world.other_coop, city=NEW_CITY)
    assert caller.page("post", url, form).status_code == 403
    url = reverse("members:organisation_invitations", args=[world.other_coop.slug])
    assert caller.page("post", url, {"email": INVITEE}).status_code == 403
    api_url = f"/api/v1/organisations/{world.other_coop.slug}/"
    assert caller.api("patch", api_url, {"city": NEW_CITY}).status_code == 403
    assert database_state() == before
