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

from catalogue.models import Software
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
    data = {
        "summary": "Members & dues.",
        "licence": "AGPL-3.0-or-later",
        "features": ["Member register", "Dues & reminders"],
        "status": "published",
    }
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


def _case_study(coop):
    """A published case study of a finished project that used Civi Members; returns its lead."""
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
    civi = Software.objects.get(slug="civi-members")
    services.project_software_add(actor=lead.user, project=project, software=civi)
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
    return lead


def _thanks_for_asking_a_provider(coop) -> str:
    """The thank-you page of a request asked from Civi Members, naming the provider told."""
    from intake.services import help_request_submit
    from intake.views import thanks_address

    data = {
        "organisation_name": "Olla Popular",
        "contact_name": "Rosa",
        "contact_email": "rosa@olla.example",
        "country": "UY",
        "need": "maintain",
        "description": "Help with our members.",
        "budget_range": "unsure",
        "timeline": "flexible",
    }
    help_request = help_request_submit(
        data=data,
        language="en",
        software=Software.objects.get(slug="civi-members"),
        providers=[coop],
    )
    return thanks_address(help_request)


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
def test_five_pages_and_the_login_are_valid_html(client, vnu_jar, tmp_path, coop, settings):
    # The dump's files in this test's own folder: the shared one holds the demo's dump, which a
    # journey on another worker downloads and checks against its own database's checksum.
    settings.STORAGES = {
        **settings.STORAGES,
        "opendata": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "open-data"},
        },
    }
    PersonFactory(organisation=coop, display_name="Ana Valid")
    OrganisationFactory(name="Taller Sur", slug="taller-sur", country="AR")
    dump_build()  # the open-data page with a dump listed, its files and checksums
    _catalogue(coop)
    lead = _case_study(coop)
    thread = _discussion(coop)
    thanks = _thanks_for_asking_a_provider(coop)
    files = []
    for number, path in enumerate([*PAGES, thread, thanks]):
        response = client.get(path)
        assert response.status_code == 200, path
        page = tmp_path / f"page-{number}.html"
        page.write_bytes(response.content)
        files.append(page)
    # The project page as its lead sees it: the software used, with the form to change it.
    project = lead.led_projects.get()
    client.force_login(lead.user)
    project_page = client.get(f"/projects/{project.pk}/")
    assert b"software-used" in project_page.content
    client.logout()
    page = tmp_path / "page-project.html"
    page.write_bytes(project_page.content)
    files.append(page)
    # A form that failed: its error summary, and each field's error tied to it by one id.
    failed = client.post("/accounts/login/", {"login": "not an address", "password": ""})
    assert failed.status_code == 200 and b"error-summary" in failed.content
    page = tmp_path / "page-failed.html"
    page.write_bytes(failed.content)
    files.append(page)
    shown = [*PAGES, thread, "/request-help/thanks/", "/projects/<id>/ (its lead)"]
    shown.append("/accounts/login/ (failed POST)")
    assert _validation_errors(vnu_jar, files, shown) == []


def _validation_errors(vnu_jar: Path, files: list[Path], shown: list[str]) -> list[str]:
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
    return errors


@pytest.mark.django_db
def test_the_collective_assembly_pages_are_valid_html(client, vnu_jar, tmp_path, coop):
    """An assembly's delegated vote, draft minutes with suggestions, the suggestion and publish
    forms, and the rotation box: what members and the admin see of issue 16's assemblies."""
    from django.utils import timezone

    from assemblies import services
    from assemblies.models import Assembly
    from circles.models import CircleMembership
    from circles.services import participation_refresh
    from tests.assemblies.factories import AssemblyFactory, SeriesFactory
    from tests.circles.factories import CircleFactory

    circle = CircleFactory(name="Tech")
    people = [PersonFactory(organisation=coop, display_name=f"Pat {n}") for n in range(4)]
    for person in people:
        CircleMembership.objects.create(circle=circle, person=person)
    participation_refresh()
    admin = UserFactory(email="html-admin@patio.coop", is_staff=True)
    facilitator, note_taker, present, other = people
    series = SeriesFactory()
    for person in people:
        services.series_volunteer_set(actor=person.user, series=series, volunteering=True)
    upcoming = AssemblyFactory(series=series, facilitator=facilitator, note_taker=note_taker)
    services.delegate_vote(actor=other.user, assembly=upcoming, delegate=present)
    held = AssemblyFactory(
        start=timezone.now().replace(minute=0, second=0, microsecond=0),
        facilitator=facilitator,
        note_taker=note_taker,
    )
    services.assembly_set_status(actor=admin, assembly=held, status=Assembly.Status.OPEN)
    services.attendance_set(actor=admin, assembly=held, people=[present])
    services.assembly_set_status(actor=admin, assembly=held, status=Assembly.Status.CLOSED)
    unpublished = AssemblyFactory(status=Assembly.Status.CLOSED, note_taker=note_taker)
    services.minutes_publish(actor=note_taker.user, assembly=held, text="We met in **Sofia**.")
    first = services.correction_suggest(
        actor=present.user, assembly=held, original="Sofia", text="Sofia, online", reason="Both."
    )
    services.correction_decide(actor=facilitator.user, correction=first, accept=True)
    services.correction_suggest(actor=present.user, assembly=held, text="Add this.", reason="x")
    pages = [
        (present.user, upcoming.get_absolute_url()),
        (other.user, upcoming.get_absolute_url()),
        (other.user, f"/assemblies/{upcoming.pk}/"),
        (admin, upcoming.get_absolute_url()),
        (present.user, held.get_absolute_url()),
        (facilitator.user, held.get_absolute_url()),
        (present.user, f"/assemblies/{held.pk}/minutes/suggest/"),
        (note_taker.user, f"/assemblies/{unpublished.pk}/minutes/publish/"),
    ]
    files = []
    for number, (user, path) in enumerate(pages):
        client.force_login(user)
        response = client.get(path)
        assert response.status_code == 200, path
        page = tmp_path / f"page-{number}.html"
        page.write_bytes(response.content)
        files.append(page)
    # A delegation refused: the form again, with the reason.
    client.force_login(present.user)
    refused = client.post(f"/assemblies/{upcoming.pk}/delegation/", {"delegate": other.pk})
    assert refused.status_code == 400
    page = tmp_path / "page-refused.html"
    page.write_bytes(refused.content)
    files.append(page)

    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
    ]
    assert errors == []


@pytest.mark.django_db
def test_the_poll_pages_are_valid_html(client, vnu_jar, tmp_path, coop):
    """The polls a member reads: the list, the form, a proposal they vote in, a closed ranked
    poll with its rounds, and a time poll's week grid with the vote form."""
    import datetime as dt

    from django.utils import timezone

    from polls import services

    voter = PersonFactory(organisation=coop, display_name="Vic Voter", timezone="Asia/Tokyo")
    author = PersonFactory(organisation=coop, display_name="Ada Author")
    closes = timezone.now() + dt.timedelta(days=2)
    proposal = services.poll_create(
        actor=author.user, title="Adopt it?", kind="proposal", closes_at=closes
    )
    ranked = services.poll_create(
        actor=author.user,
        title="Where?",
        kind="ranked",
        closes_at=closes,
        options=["Lisbon", "Rosario", "Sofia"],
    )
    ids = list(ranked.options.values_list("pk", flat=True))
    for person, ranking in ((voter, ids), (author, ids[::-1])):
        services.vote_cast(actor=person.user, poll=ranked, answer={"ranking": ranking})
    services.poll_close(actor=author.user, poll=ranked)
    start = dt.datetime(2027, 3, 27, 12, tzinfo=dt.UTC)
    time_poll = services.poll_create(
        actor=author.user,
        title="When?",
        kind="time",
        closes_at=closes,
        slots=[start, start + dt.timedelta(days=1), start + dt.timedelta(days=1, hours=11)],
    )
    client.force_login(voter.user)
    paths = [
        "/polls/",
        "/polls/new/",
        proposal.get_absolute_url(),
        ranked.get_absolute_url(),
        time_poll.get_absolute_url(),
    ]
    files = []
    for number, path in enumerate(paths):
        response = client.get(path)
        assert response.status_code == 200, path
        page = tmp_path / f"poll-{number}.html"
        page.write_bytes(response.content)
        files.append(page)
    errors = _validation_errors(vnu_jar, files, paths)
    assert errors == [], "\n".join(errors)


@pytest.mark.django_db
def test_the_mediation_pages_are_valid_html(client, vnu_jar, tmp_path, member, outsider, colleague):
    """Conflict resolution: the requester's cases and form, the mediators' queue, and a case
    with its meeting, notes and state buttons, as the mediator and as the requester; and the
    form to open a case sent back with its errors."""
    import datetime as dt

    from django.utils import timezone

    from circles.models import CircleMembership
    from mediation import services
    from tests.circles.factories import CircleFactory, CircleMembershipFactory

    circle = CircleFactory(name="Mediation", slug="mediation", handles_conflicts=True)
    CircleMembershipFactory(circle=circle, person=colleague, role=CircleMembership.Role.COORDINATOR)
    case = services.case_open(
        actor=member.user, involved=[outsider], what_happened="Words & <b>.", hoped_for="Peace."
    )
    services.case_move(actor=colleague.user, case=case, to_state="in_mediation")
    services.case_schedule_meeting(
        actor=colleague.user,
        case=case,
        at=timezone.now() + dt.timedelta(days=3),
        place="https://call.example/room",
    )
    services.case_note_add(actor=colleague.user, case=case, body="We meet on **Friday**.")
    pages = [
        (member.user, "/mediation/"),
        (member.user, "/mediation/new/"),
        (member.user, case.get_absolute_url()),
        (colleague.user, "/mediation/queue/"),
        (colleague.user, case.get_absolute_url()),
    ]
    files = []
    for number, (user, path) in enumerate(pages):
        client.force_login(user)
        response = client.get(path)
        assert response.status_code == 200, path
        page = tmp_path / f"page-{number}.html"
        page.write_bytes(response.content)
        files.append(page)
    client.force_login(member.user)
    refused = client.post("/mediation/new/", {"what_happened": "", "hoped_for": ""})
    assert refused.status_code == 200 and b"error" in refused.content
    page = tmp_path / "page-refused.html"
    page.write_bytes(refused.content)
    files.append(page)

    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
    ]
    assert errors == []


def test_the_feedback_pages_are_valid_html(client, vnu_jar, tmp_path, coop):
    """What a person reads of feedback: their list, the ask form (about a project, with an
    error), a request with its answers and share form, the answer form, and the project page
    with its feedback section."""
    from feedback import services
    from projects.models import Project
    from tests.projects.factories import ProjectFactory, TeamMembershipFactory

    asker = PersonFactory(organisation=coop, display_name="Fia Feedback")
    mate = PersonFactory(organisation=coop, display_name="Gus Mate")
    project = ProjectFactory(name="Portal", status=Project.Status.FINISHED)
    for person in (asker, mate):
        TeamMembershipFactory(role__project=project, person=person)
    mine = services.feedback_request(
        actor=asker.user, respondents=[mate], project=project, message="How & why?"
    )
    services.answer_submit(
        actor=mate.user, invite=mine.invites.get(), went_well="Calm.\nClear.", note="<b>Thanks</b>"
    )
    theirs = services.feedback_request(actor=mate.user, respondents=[asker], project=project)
    client.force_login(asker.user)
    paths = [
        "/feedback/",
        "/feedback/ask/",
        f"/feedback/ask/?project={project.pk}",
        mine.get_absolute_url(),
        f"/feedback/{theirs.pk}/answer/",
        # (The person page is left out: its "Profile updated" <time> carries microseconds.)
        project.get_absolute_url(),
    ]
    files = []
    for number, path in enumerate(paths):
        response = client.get(path)
        assert response.status_code == 200, path
        page = tmp_path / f"feedback-{number}.html"
        page.write_bytes(response.content)
        files.append(page)
    invalid = client.post("/feedback/ask/", {"project": project.pk, "days": 14})
    assert invalid.status_code == 400
    page = tmp_path / "feedback-invalid.html"
    page.write_bytes(invalid.content)
    files.append(page)
    errors = _validation_errors(vnu_jar, files, [*paths, "ask with an error"])
    assert errors == [], "\n".join(errors)


@pytest.mark.django_db
def test_the_notification_pages_are_valid_html(client, vnu_jar, tmp_path, coop):
    """A member's notifications, some read, some held for a digest, with the bell, and their
    email settings with a choice per kind."""
    from members.models import Person
    from notifications.models import Notification
    from patio import emails

    reader = PersonFactory(
        organisation=coop, display_name="Nia Notified", email_choices={"poll_reminders": "daily"}
    )
    for number, kind in enumerate(["discussion_replies", "poll_reminders", "pledge_reminders"]):
        emails.event_message(
            kind=kind,
            person_id=reader.pk,
            to=reader.email_address,
            subject=f"Something <{number}> & more",
            body=f"{settings.SITE_URL}/discussions/",
            language="en",
            message_id=f"<valid.{number}@patio.example>",
        ).send()
    Notification.objects.filter(kind="pledge_reminders").update(read_at="2026-12-01T10:00Z")
    assert Person.objects.get(pk=reader.pk).email_choice("poll_reminders") == "daily"
    client.force_login(reader.user)
    paths = ["/notifications/", "/me/emails/"]
    files = []
    for number, path in enumerate(paths):
        response = client.get(path)
        assert response.status_code == 200, path
        page = tmp_path / f"notifications-{number}.html"
        page.write_bytes(response.content)
        files.append(page)
    errors = _validation_errors(vnu_jar, files, paths)
    assert errors == [], "\n".join(errors)
