"""Five pages are valid HTML for the W3C Nu validator (issue "Made for 26 countries and for
phones": `data-hx-*` rather than `hx-*`, and no element where the standard does not allow it).

The validator is vnu-jar from the npm registry, run with the machine's Java; the test fetches it
once into var/tools/ and fails, naming what is missing, when npm or Java is not there."""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from opendata.services import dump_build
from tests.factories import OrganisationFactory, PersonFactory, UserFactory

VNU_VERSION = "26.9.27"
PAGES = [
    "/",
    "/coops/",
    "/circles/",
    "/policies/",
    "/hub/",
    "/request-help/",
    "/open-data/",
    "/catalogue/",
    "/catalogue/civi-members/",
    "/catalogue/compare/?entries=civi-members&entries=team-chat",
    "/discussions/",
    "/accounts/login/",
]


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    jar = Path(settings.VAR_DIR) / "tools" / f"vnu-{VNU_VERSION}" / "vnu.jar"
    if not jar.exists():
        if shutil.which("npm") is None:
            pytest.fail("the HTML check needs npm to fetch vnu-jar; install Node.js and npm")
        with tempfile.TemporaryDirectory() as scratch:
            subprocess.run(
                ["npm", "pack", f"vnu-jar@{VNU_VERSION}", "--pack-destination", scratch],
                check=True,
                capture_output=True,
                timeout=300,
            )
            (archive,) = Path(scratch).glob("vnu-jar-*.tgz")
            with tarfile.open(archive) as tar:
                member = tar.getmember("package/build/dist/vnu.jar")
                source = tar.extractfile(member)
                assert source is not None
                jar.parent.mkdir(parents=True, exist_ok=True)
                jar.write_bytes(source.read())
    if shutil.which("java") is None:
        pytest.fail("the HTML check needs Java to run vnu.jar; install a JRE (openjdk-17-jre)")
    return jar


def _catalogue(coop) -> None:
    """Two published entries, one with a provider and a user, for the catalogue's pages."""
    from catalogue import services
    from catalogue.models import FunctionCategory

    admin = UserFactory(email="html-admin@patio.coop", is_staff=True)
    function = FunctionCategory.objects.create(name="Membership", slug="membership")
    data = {"summary": "Members & dues.", "licence": "AGPL-3.0-or-later", "status": "published"}
    civi = services.software_create(
        actor=admin,
        data={**data, "name": "Civi Members", "description": "**Bold** and a [link](/)."},
        m2m={"categories": [function], "makers": [coop]},
    )
    services.software_create(
        actor=admin,
        data={**data, "name": "Team Chat", "replaces": "Slack"},
        m2m={"categories": [function]},
    )
    services.provider_save(
        actor=admin,
        software=civi,
        organisation=coop,
        data={"services": ["host"], "countries": ["FR"]},
    )
    services.use_save(
        actor=admin, software=civi, organisation=coop, data={"use_case": "Members", "rating": 4}
    )


def _discussion(coop) -> str:
    """A public thread with a nested reply, a reaction, an edit and a hidden comment."""
    from discussions import services

    author = PersonFactory(organisation=coop, display_name="Dana Talk", user__email="d@t.coop")
    other = PersonFactory(organisation=coop, display_name="Eli Talk", user__email="e@t.coop")
    admin = UserFactory(email="html-mod@patio.coop", is_staff=True)
    thread = services.thread_start(
        actor=author.user, title="Equal pay?", body="Is it **fair**?", visibility="public"
    )
    top = services.comment_post(actor=other.user, thread=thread, body="Yes, @dana-talk.")
    nested = services.comment_post(actor=author.user, thread=thread, body="Why?", parent=top)
    services.comment_edit(actor=author.user, comment=nested, body="Why so?")
    services.reaction_toggle(actor=other.user, comment=nested, kind="agree")
    services.comment_hide(actor=admin, comment=top, reason="Testing")
    return thread.get_absolute_url()


@pytest.mark.django_db
def test_five_pages_and_the_login_are_valid_html(client, vnu_jar, tmp_path, coop):
    PersonFactory(organisation=coop, display_name="Ana Valid")
    OrganisationFactory(name="Taller Sur", slug="taller-sur", country="AR")
    dump_build()  # the open-data page with a dump listed, its files and checksums
    _catalogue(coop)
    thread = _discussion(coop)
    files = []
    for number, path in enumerate([*PAGES, thread]):
        response = client.get(path)
        assert response.status_code == 200, path
        page = tmp_path / f"page-{number}.html"
        page.write_bytes(response.content)
        files.append(page)
    # A form that failed: its error summary, and each field's error tied to it by one id.
    failed = client.post("/accounts/login/", {"login": "not an address", "password": ""})
    assert failed.status_code == 200 and b"error-summary" in failed.content
    page = tmp_path / "page-failed.html"
    page.write_bytes(failed.content)
    files.append(page)
    shown = [*PAGES, thread, "/accounts/login/ (failed POST)"]

    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=180,
    )

    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{shown[files.index(Path(m['url'].removeprefix('file:')))]}:{m.get('lastLine')}: "
        f"{m['message']}"
        for m in messages
    ]
    assert errors == []
