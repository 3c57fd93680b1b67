"""The embedded mode's search, on a real SQLite database.

The suite runs on PostgreSQL, so this test starts `manage.py`'s settings in a child process with
`DATABASE_URL=sqlite:///…`: it migrates a fresh SQLite file, adds a few co-ops and people through
the ORM, and asks the same selectors and filter sets the pages and the API use, and the pages
themselves, for "Koln", "bogota" and "nunez"."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.pure

CHILD = r"""
import json

import django

django.setup()

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test import Client

call_command("migrate", verbosity=0)
assert connection.vendor == "sqlite", connection.vendor

from accounts.models import User
from members import selectors
from members.filters import OrganisationFilter, PersonFilter
from members.models import Organisation, Person

MEMBER = Organisation.Status.MEMBER
koeln = Organisation.objects.create(name="Brückenbau Software eG", slug="brueckenbau",
    city="Köln", country="DE", status=MEMBER, short_description="Software for bridges.")
bogota = Organisation.objects.create(name="Cooperativa Frailejón", slug="frailejon",
    city="Bogotá", country="CO", status=MEMBER, short_description="Diseño y desarrollo.")
hidden = Organisation.objects.create(name="Kölner Bewerber eG", slug="bewerber", city="Köln",
    country="DE", status=Organisation.Status.APPLICANT, short_description="Wants to join.")
user = User.objects.create_user(email="lucia@example.org", password="a long pass phrase")
Person.objects.create(display_name="Lucía Núñez", organisation=bogota, user=user,
    profile_visibility=Person.ProfileVisibility.PUBLIC)
Person.objects.create(display_name="Jonas Weber", organisation=koeln, bio="Moved from BOGOTÁ.")
Person.objects.create(display_name="Ana Nunes", organisation=hidden)


def coops(user, text):
    queryset = selectors.organisation_list(user)
    return sorted(OrganisationFilter({"q": text}, queryset=queryset).qs.values_list("slug", flat=True))


def people(user, text):
    queryset = selectors.person_list(user)
    return sorted(PersonFilter({"q": text}, queryset=queryset).qs.values_list("display_name", flat=True))


visitor = AnonymousUser()
client = Client(HTTP_HOST="localhost")
coop_page = client.get("/coops/", {"q": "koln"}).content.decode()
client.force_login(user)
people_page = client.get("/people/", {"q": "NUNEZ"}).content.decode()
print(json.dumps({
    "vendor": connection.vendor,
    "coops": {text: coops(visitor, text) for text in ("Koln", "KÖLN", "bogota", "frailejon", "zzz")},
    "member_coops": coops(user, "koln"),
    "people": {text: people(user, text) for text in ("nunez", "Núñez", "bogota", "lucia")},
    "coop_page": ["Brückenbau Software eG" in coop_page, "Kölner Bewerber" in coop_page],
    "people_page": "Lucía Núñez" in people_page,
}))
"""


def test_search_forgives_accents_and_case_on_a_real_sqlite_database(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "REDIS_CACHE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="patio.settings",
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'embedded.sqlite3'}",
        PATIO_VAR_DIR=str(tmp_path / "var"),
    )
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])

    assert found["vendor"] == "sqlite"
    assert found["coops"] == {
        "Koln": ["brueckenbau"],  # a visitor does not see the applicant from Köln
        "KÖLN": ["brueckenbau"],
        "bogota": ["frailejon"],
        "frailejon": ["frailejon"],
        "zzz": [],
    }
    assert found["member_coops"] == ["bewerber", "brueckenbau"]
    assert found["people"] == {
        "nunez": ["Lucía Núñez"],  # not "Ana Nunes": every term must match
        "Núñez": ["Lucía Núñez"],
        "bogota": ["Jonas Weber"],  # from his bio
        "lucia": ["Lucía Núñez"],
    }
    assert found["coop_page"] == [True, False]
    assert found["people_page"] is True
