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
    "/case-studies/",
    "/case-studies/portal-for-a-housing-co-op/",
    "/hire/",
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


def _case_study(coop) -> None:
    """A published case study of a finished project that used Civi Members."""
    import datetime as dt

    from casestudies import services
    from projects.models import Project
    from tests.projects.factories import ProjectFactory, TeamMembershipFactory, TeamRoleFactory

    project = ProjectFactory(
        name="Portal for a housing co-op",
        description="Built on Civi Members.",
        status=Project.Status.FINISHED,
        client_name="Vivienda Sur",
        start_date=dt.date(2025, 1, 6),
        end_date=dt.date(2025, 3, 2),
    )
    lead = PersonFactory(organisation=coop)
    project.leads.add(lead)
    TeamMembershipFactory(role=TeamRoleFactory(project=project), person=lead)
    case_study = services.case_study_create(actor=lead.user, project=project)
    services.case_study_update(
        actor=lead.user,
        case_study=case_study,
        data={"summary": "Dues & votes.", "story": "**We** met.", "outcome": "- It works."},
    )
    services.case_study_record_consent(
        actor=lead.user, case_study=case_study, method="email", given_by="Marta"
    )
    services.case_study_publish(actor=lead.user, case_study=case_study)


@pytest.mark.django_db
def test_five_pages_and_the_login_are_valid_html(client, vnu_jar, tmp_path, coop):
    PersonFactory(organisation=coop, display_name="Ana Valid")
    OrganisationFactory(name="Taller Sur", slug="taller-sur", country="AR")
    dump_build()  # the open-data page with a dump listed, its files and checksums
    _catalogue(coop)
    _case_study(coop)
    files = []
    for number, path in enumerate(PAGES):
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
    shown = [*PAGES, "/accounts/login/ (failed POST)"]

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
