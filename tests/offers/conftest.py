import datetime

import pytest

from offers.services import post_create
from patio.dates import network_today


def post_data(**changes) -> dict:
    today = network_today()
    return {
        "exchange": "offer",
        "kind": "capacity",
        "title": "Spare Django capacity for three months",
        "description": "Two developers, **20 hours a week** each.",
        "scope": "global",
        "country": "",
        "city": "",
        "starts_on": today,
        "ends_on": today + datetime.timedelta(days=90),
        "visibility": "public",
    } | changes


@pytest.fixture
def make_post():
    def _make(person, *, tags=("django",), skills=(), for_coop=False, **changes):
        return post_create(
            actor=person.user,
            data=post_data(**changes),
            tags=tags,
            skills=skills,
            for_coop=for_coop,
        )

    return _make


@pytest.fixture
def post(make_post, member):
    return make_post(member)
