"""The site speaks Spanish: a complete, compiled catalogue, and pages, API errors and emails in it.

The catalogue is read with a few lines of our own (no polib) and the compiled .mo with Python's
gettext module, so these tests run on a machine without GNU gettext installed.
"""

from __future__ import annotations

import ast
import datetime
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import dateformat, timezone, translation
from django.utils.formats import get_format

from members.emails import invitation_email_send
from tests.factories import InvitationFactory, OrganisationFactory, PersonFactory

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]")


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: {"flags": set, "msgid": str, "msgid_plural"?, "msgstr" or "msgstr[n]"}."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry: dict = {"flags": set()}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                entry[key] = ast.literal_eval(value)
        entries.append(entry)
    return entries


def translated_forms(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    return read_po(PO_PATH)


@pytest.fixture(scope="module")
def messages(catalogue) -> list[dict]:
    return [entry for entry in catalogue if entry["msgid"]]


# (a) the catalogue ----------------------------------------------------------------------------
@pytest.mark.pure
def test_spanish_catalogue_has_entries_and_two_plural_forms(catalogue, messages):
    header = catalogue[0]
    assert header["msgid"] == ""
    assert "Language: es\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header["msgstr"]
    assert len(messages) > 100


@pytest.mark.pure
def test_every_spanish_entry_is_translated(messages):
    untranslated = [
        entry["msgid"]
        for entry in messages
        if not all(form.strip() for form in translated_forms(entry))
    ]
    assert untranslated == []


@pytest.mark.pure
def test_no_spanish_entry_is_fuzzy(catalogue):
    assert [entry["msgid"] for entry in catalogue if "fuzzy" in entry["flags"]] == []


@pytest.mark.pure
def test_plural_entries_have_both_spanish_forms(messages):
    plurals = [entry for entry in messages if "msgid_plural" in entry]
    assert plurals, "the site counts co-ops and people, so the catalogue has plural entries"
    for entry in plurals:
        assert entry["msgstr[0]"] and entry["msgstr[1]"], entry["msgid"]
        assert "msgstr[2]" not in entry, entry["msgid"]


@pytest.mark.pure
def test_spanish_translations_keep_every_placeholder(messages):
    wrong = []
    for entry in messages:
        expected = set(PLACEHOLDER.findall(entry["msgid"] + entry.get("msgid_plural", "")))
        for form in translated_forms(entry):
            if set(PLACEHOLDER.findall(form)) != expected:
                wrong.append((entry["msgid"], form))
    assert wrong == []


# (b) the compiled catalogue -------------------------------------------------------------------
@pytest.mark.pure
def test_compiled_spanish_catalogue_matches_the_po_file(messages):
    with MO_PATH.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert compiled.info()["plural-forms"] == "nplurals=2; plural=(n != 1);"
    stale = []
    for entry in messages:
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            pairs = [
                (
                    compiled.npgettext(context, entry["msgid"], entry["msgid_plural"], n)
                    if context
                    else compiled.ngettext(entry["msgid"], entry["msgid_plural"], n),
                    entry[key],
                )
                for n, key in ((1, "msgstr[0]"), (2, "msgstr[1]"))
            ]
        else:
            found = (
                compiled.pgettext(context, entry["msgid"])
                if context
                else compiled.gettext(entry["msgid"])
            )
            pairs = [(found, entry["msgstr"])]
        stale.extend(entry["msgid"] for found, expected in pairs if found != expected)
    assert stale == [], "run `make messages` (compilemessages) after editing django.po"


# (c) pages and API errors ---------------------------------------------------------------------
@pytest.mark.django_db
def test_home_page_is_in_spanish_with_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in html
    assert "La red de un vistazo" in html
    assert "The network at a glance" not in html
    assert "Iniciar sesión" in html


@pytest.mark.django_db
def test_home_page_stays_in_english_by_default(client):
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "The network at a glance" in html


@pytest.mark.django_db
def test_coop_list_is_in_spanish_with_plurals_and_choices(
    client, coop, django_capture_on_commit_callbacks
):
    response = client.get("/coops/", HTTP_ACCEPT_LANGUAGE="es")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cooperativas de la red" in html
    assert "1 cooperativa encontrada" in html
    assert "Cooperativa de trabajo" in html  # the kind choice
    assert "· 12 personas</p>" in html  # the co-op's size, plural form

    with django_capture_on_commit_callbacks(execute=True):  # the directory changes on commit
        OrganisationFactory(name="Tres Pinos", slug="tres-pinos", country="ES", size=1)
    html = client.get("/coops/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "2 cooperativas encontradas" in html
    assert "· 1 persona</p>" in html


@pytest.mark.django_db
def test_login_page_is_in_spanish(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in html
    assert "Iniciar sesión" in html
    assert "¿Primera vez en Patio?" in html
    assert "Contraseña" in html  # allauth's own form label, from allauth's catalogue


@pytest.mark.django_db
def test_persons_language_preference_wins_over_the_browser(login, coop):
    person = PersonFactory(organisation=coop, language="es", active_member=True)
    client = login(person.user)
    html = client.get(person.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="es">' in html
    assert "Disponibilidad" in html
    assert "10 horas por semana" in html
    assert "Miembro activo" in html  # the participation choice


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "headers", "status", "title", "detail"),
    [
        (
            "/api/v1/organisations/",
            {"HTTP_AUTHORIZATION": "Bearer nonsense"},
            401,
            "Se requiere autenticación.",
            "Token no válido.",
        ),
        ("/api/v1/organisations/no-such-coop/", {}, 404, "No encontrado.", None),
    ],
)
def test_api_error_titles_are_in_spanish(client, path, headers, status, title, detail):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="es", **headers)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == title
    if detail:
        assert body["detail"] == detail
    assert response["Content-Language"] == "es"


@pytest.mark.django_db
def test_api_validation_error_is_in_the_callers_preferred_spanish(login, coop_admin, coop):
    coop_admin.language = "es"
    coop_admin.save(update_fields=["language"])
    client = login(coop_admin.user)
    response = client.patch(
        f"/api/v1/organisations/{coop.slug}/",
        data={"no_such_field": 1},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["title"] == "La solicitud tiene campos no válidos."
    assert body["errors"]["no_such_field"] == ["Este campo no existe o es de solo lectura."]


# (d) emails -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_invitation_email_is_in_the_invitations_language(coop):
    invitation = InvitationFactory(organisation=coop, language="es", as_coop_admin=True)
    with translation.override("en"):  # whoever sends it, the invitee reads their language
        assert invitation_email_send(invitation_id=invitation.pk) is True

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.subject == "Invitación para unirse a Camplight en Patio"
    assert "Hola:" in email.body
    assert "la red de cooperativas de trabajo" in email.body
    assert "La cuenta será admin de la cooperativa" in email.body
    assert "Enlace para crear la cuenta:" in email.body
    with translation.override("es"):
        when = dateformat.format(
            timezone.localtime(invitation.expires_at, datetime.UTC), get_format("DATETIME_FORMAT")
        )
    assert f"vence el {when} UTC" in email.body
    assert "invited" not in email.body


@pytest.mark.django_db
def test_invitation_email_in_english_stays_english(coop):
    invitation = InvitationFactory(organisation=coop, language="en")
    with translation.override("es"):
        assert invitation_email_send(invitation_id=invitation.pk) is True
    assert mail.outbox[0].subject == "You are invited to join Camplight on Patio"
    assert "Hola" not in mail.outbox[0].body
