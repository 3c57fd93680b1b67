"""The open-data dumps' cast: one public and one hidden thing of every kind a dump holds, and
helpers that read a dump as a newcomer would, from its files."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal

import pytest

from assemblies.models import Assembly
from members.demo_data import ESCO_SKILLS
from members.models import Organisation, Person, Visibility
from opendata import services
from opendata.models import Dump
from privacy.services import person_erase
from projects.models import Opportunity
from tests.assemblies.factories import AssemblyFactory, DecisionFactory
from tests.circles.factories import CircleFactory
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    PersonLanguageFactory,
    PersonSkillFactory,
    SkillFactory,
)
from tests.fund.conftest import approver, finance_circle  # noqa: F401 - the fund's cast
from tests.fund.factories import contribute
from tests.projects.factories import OpportunityFactory, RoleFactory, RoleSkillFactory

README_SECTION = re.compile(r"^## (\S+\.csv): ", re.M)
README_COLUMN = re.compile(r"^\| `([a-z_0-9]+)` \|", re.M)


@pytest.fixture(autouse=True)
def _open_data_storage(settings, tmp_path):
    """Each test's dumps in a folder of its own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "opendata": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "open-data"},
        },
    }


@dataclass
class Network:
    public_coop: Organisation
    private_coop: Organisation
    gone: Organisation
    never_joined: Organisation
    public_person: Person
    open_person: Person
    members_only_person: Person
    erased: Person
    public_opportunity: Opportunity
    private_opportunity: Opportunity
    draft_opportunity: Opportunity
    public_decision_text: str
    private_decision_text: str


@pytest.fixture
def network(db, coop, coop_admin, approver) -> Network:  # noqa: F811 - the fund's fixture
    """What a visitor may read, and what they may not, of every kind a dump holds."""
    public_coop = coop
    private_coop = OrganisationFactory(name="Applicant Co-op", slug="applicant", status="applicant")
    gone = OrganisationFactory(
        name="Gone Co-op",
        slug="gone",
        status="left",
        joined_on=datetime.date(2019, 5, 1),
        left_on=datetime.date(2025, 3, 1),
        dissolved=True,
        left_reason="Its members retired.",
        website="https://gone.example.coop",
    )
    never_joined = OrganisationFactory(
        name="Never Joined", slug="never-joined", status="left", joined_on=None
    )
    python = SkillFactory(name="Python", slug="python", esco_uri=ESCO_SKILLS["Python"])
    public_person = PersonFactory(
        organisation=public_coop,
        display_name="Paula Public",
        profile_visibility=Person.ProfileVisibility.PUBLIC,
        contact_email="paula.private@example.coop",  # members only, the default
        phone="+359 2 555 0100",
        phone_visibility=Visibility.HIDDEN,
        website="https://paula.example",
    )
    PersonSkillFactory(person=public_person, skill=python, level=3, years=7)
    PersonLanguageFactory(person=public_person)
    open_person = PersonFactory(
        organisation=public_coop,
        display_name="Omar Open",
        profile_visibility=Person.ProfileVisibility.PUBLIC,
        contact_email="omar.open@example.coop",
        contact_email_visibility=Visibility.PUBLIC,
    )
    members_only_person = PersonFactory(
        organisation=public_coop,
        display_name="Mara Membersonly",
        contact_email="mara@example.coop",
    )
    PersonFactory(
        organisation=private_coop,
        display_name="Ada Applicant",
        profile_visibility=Person.ProfileVisibility.PUBLIC,
    )
    erased = PersonFactory(
        organisation=public_coop,
        display_name="Erin Erased",
        profile_visibility=Person.ProfileVisibility.PUBLIC,
        contact_email="erin@example.coop",
        contact_email_visibility=Visibility.PUBLIC,
    )
    PersonSkillFactory(person=erased, skill=python)
    person_erase(actor=erased.user, person=erased)
    erased.refresh_from_db()

    circle = CircleFactory(name="Tech", slug="tech")
    public_opportunity = OpportunityFactory(
        title="Public portal",
        circle=circle,
        visibility=Opportunity.Visibility.PUBLIC,
        source_coop=public_coop,
        client_organisation=private_coop,
        budget=Decimal("12000.00"),
    )
    role = RoleFactory(opportunity=public_opportunity, title="Backend developer", headcount=2)
    RoleSkillFactory(role=role, skill=python, min_level=3)
    private_opportunity = OpportunityFactory(
        title="Members-only portal", circle=circle, visibility=Opportunity.Visibility.MEMBERS
    )
    draft_opportunity = OpportunityFactory(
        title="Draft portal",
        circle=circle,
        visibility=Opportunity.Visibility.PUBLIC,
        status=Opportunity.Status.DRAFT,
    )

    public_assembly = AssemblyFactory(title="Open assembly", visibility=Assembly.Visibility.PUBLIC)
    DecisionFactory(
        assembly=public_assembly,
        text="We publish our data every night.",
        objections="A private worry.",
    )
    DecisionFactory(assembly=AssemblyFactory(title="Closed assembly"), text="A members' matter.")

    contribute(
        recorder=coop_admin.user,
        confirmer=approver.user,
        organisation=public_coop,
        amount=Decimal("1000.00"),
        currency="EUR",
        received_on=datetime.date(2024, 1, 1),
    )
    return Network(
        public_coop=public_coop,
        private_coop=private_coop,
        gone=gone,
        never_joined=never_joined,
        public_person=public_person,
        open_person=open_person,
        members_only_person=members_only_person,
        erased=erased,
        public_opportunity=public_opportunity,
        private_opportunity=private_opportunity,
        draft_opportunity=draft_opportunity,
        public_decision_text="We publish our data every night.",
        private_decision_text="A members' matter.",
    )


def stored(dump: Dump, kind: str) -> bytes:
    with services.storage().open(getattr(dump, f"{kind}_name"), "rb") as f:
        return f.read()


def unzipped(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def header(data: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def documented_columns(readme: str) -> dict[str, list[str]]:
    """Each CSV file the README documents, with the columns its table lists, in order."""
    sections = README_SECTION.split(readme)[1:]
    return {
        name: README_COLUMN.findall(body)
        for name, body in zip(sections[::2], sections[1::2], strict=True)
    }
