"""Open public offers and wants as Murmurations `offers_wants_schema-v0.1.0` profiles."""

import pytest

from murmurations.models import Registration
from offers import services
from tests.murmurations.validation import assert_valid, errors

pytestmark = pytest.mark.django_db


def _profile(client, post):
    return client.get(f"/murmurations/offers/{post.pk}.json")


def test_an_open_public_post_is_a_valid_profile_that_names_no_email(client, make_post, member):
    post = make_post(member, kind="room", scope="local", country="AR", city="Buenos Aires")

    response = _profile(client, post)

    assert response.status_code == 200
    profile = response.json()
    assert_valid(profile)
    assert profile["exchange_type"] == "offer" and profile["item_type"] == "good"
    assert profile["geographic_scope"] == "local"
    assert profile["contact_details"] == {"contact_form": profile["details_url"]}
    assert member.user.email not in response.content.decode()


def test_a_want_for_the_whole_world_validates_too(client, make_post, member):
    post = make_post(member, exchange="want", kind="subcontracting", title="A Rust subcontractor")
    profile = _profile(client, post).json()
    assert_valid(profile)
    assert profile["geographic_scope"] == "international"


def test_the_schema_refuses_what_the_definitions_refuse():
    assert errors({"linked_schemas": ["offers_wants_schema-v0.1.0"], "exchange_type": "swap"})


def test_a_fulfilled_post_answers_410_and_a_members_only_one_404(client, make_post, member):
    post = make_post(member)
    hidden = make_post(member, visibility="members")
    services.post_fulfil(actor=member.user, post=post)

    assert _profile(client, post).status_code == 410
    assert _profile(client, hidden).status_code == 404


def test_posting_and_fulfilling_follow_the_index_when_one_is_set(settings, make_post, member):
    settings.MURMURATIONS_INDEX_URL = "http://127.0.0.1:9/v2"
    post = make_post(member)
    registration = Registration.objects.get(kind="offers", object_id=post.pk)
    assert registration.status == "pending"

    services.post_fulfil(actor=member.user, post=post)
    assert Registration.objects.get(pk=registration.pk).version == registration.version + 1
