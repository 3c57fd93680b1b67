"""The site speaks its languages: complete, compiled catalogues, and pages, API errors and emails.

Every language of settings.LANGUAGES is checked the same way; Spanish pages, errors and emails are
then read in detail, and a Japanese and a Russian page show that every catalogue is loaded.

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
from babel import Locale
from django.conf import settings
from django.core import mail
from django.utils import translation

from members.emails import invitation_email_send
from tests.factories import InvitationFactory, OrganisationFactory, PersonFactory

LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]")
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")  # every control character but the newline
# The site's languages with a catalogue of their own (English is the source).
SITE_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
# Every language the network has asked for besides English (issue "Made for 26 countries").
NETWORK_LANGUAGES = ["es", "pt-br", "fr", "bg", "ru", "tr", "ja"]


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


def po_path(language: str) -> Path:
    return LOCALE / translation.to_locale(language) / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module", params=SITE_LANGUAGES)
def language(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def catalogue(language) -> list[dict]:
    return read_po(po_path(language))


@pytest.fixture(scope="module")
def messages(catalogue) -> list[dict]:
    return [entry for entry in catalogue if entry["msgid"]]


@pytest.fixture(scope="module")
def compiled(language) -> gettext.GNUTranslations:
    with po_path(language).with_suffix(".mo").open("rb") as mo:
        return gettext.GNUTranslations(mo)


# (a) the catalogues ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_switcher_offers_exactly_the_site_languages(client):
    """A language reaches the switcher by being listed in settings.LANGUAGES, which the tests
    below allow only with a complete catalogue."""
    html = client.get("/").content.decode()
    switcher = html[html.index("language-switcher") : html.index("</header>")]
    offered = re.findall(r'<button[^>]*\slang="([\w-]+)"', switcher)
    assert offered == [code for code, _name in settings.LANGUAGES]
    assert set(SITE_LANGUAGES) == set(NETWORK_LANGUAGES)
    assert all(po_path(language).exists() for language in SITE_LANGUAGES)


@pytest.mark.pure
def test_catalogue_has_its_language_and_entries(language, catalogue, messages):
    header = catalogue[0]
    assert header["msgid"] == ""
    assert f"Language: {translation.to_locale(language)}\n" in header["msgstr"]
    assert "charset=UTF-8" in header["msgstr"]
    assert len(messages) > 1000


@pytest.mark.pure
def test_every_entry_is_translated(messages):
    untranslated = [
        entry["msgid"]
        for entry in messages
        if not all(form.strip() for form in translated_forms(entry))
    ]
    assert untranslated == []


@pytest.mark.pure
def test_no_entry_is_fuzzy(catalogue):
    assert [entry["msgid"] for entry in catalogue if "fuzzy" in entry["flags"]] == []


@pytest.mark.pure
def test_plural_forms_follow_cldr(language, messages, compiled):
    """Russian has three forms, Japanese one: gettext's rule picks the form CLDR's category names."""
    rule = Locale.parse(translation.to_locale(language)).plural_form
    categories: dict[int, set[str]] = {}
    for n in range(1000):
        categories.setdefault(compiled.plural(n), set()).add(rule(n))
    assert all(len(names) == 1 for names in categories.values()), categories
    forms = len(categories)
    plurals = [entry for entry in messages if "msgid_plural" in entry]
    assert plurals, "the site counts co-ops and people, so the catalogue has plural entries"
    for entry in plurals:
        assert f"msgstr[{forms}]" not in entry, entry["msgid"]
        assert all(entry[f"msgstr[{i}]"].strip() for i in range(forms)), entry["msgid"]


@pytest.mark.pure
def test_translations_keep_every_placeholder_and_no_stray_characters(messages):
    wrong = []
    for entry in messages:
        source = entry["msgid"] + entry.get("msgid_plural", "")
        expected = set(PLACEHOLDER.findall(source))
        for form in translated_forms(entry):
            if set(PLACEHOLDER.findall(form)) != expected:
                wrong.append((entry["msgid"], form))
            if len(CONTROL.findall(form)) > len(CONTROL.findall(source)):
                wrong.append((entry["msgid"], form))
            if form.endswith("\n") != entry["msgid"].endswith("\n"):
                wrong.append((entry["msgid"], form))
    assert wrong == []


# (b) the compiled catalogues ------------------------------------------------------------------
@pytest.mark.pure
def test_compiled_catalogue_matches_the_po_file(catalogue, messages, compiled):
    plural_forms = next(
        line.partition(": ")[2]
        for line in catalogue[0]["msgstr"].splitlines()
        if line.startswith("Plural-Forms:")
    )
    assert compiled.info()["plural-forms"] == plural_forms
    stale = []
    for entry in messages:
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            # a count that picks each form: the rule maps some n in 0..999 to every index
            picks = {compiled.plural(n): n for n in range(999, -1, -1)}
            pairs = [
                (
                    compiled.npgettext(context, entry["msgid"], entry["msgid_plural"], n)
                    if context
                    else compiled.ngettext(entry["msgid"], entry["msgid_plural"], n),
                    entry[f"msgstr[{index}]"],
                )
                for index, n in sorted(picks.items())
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
def test_home_page_speaks_every_site_language(client, language, catalogue):
    heading = next(e["msgstr"] for e in catalogue if e["msgid"] == "The network at a glance")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/").content.decode()
    assert f'<html lang="{language}">' in html
    assert heading in html
    assert "The network at a glance" not in html


@pytest.mark.django_db
def test_russian_directory_counts_with_three_plural_forms(
    client, django_capture_on_commit_callbacks
):
    found = []
    for number in range(1, 6):
        with django_capture_on_commit_callbacks(execute=True):  # the directory changes on commit
            OrganisationFactory(name=f"Artel {number}", slug=f"artel-{number}", country="RU")
        if number in (1, 2, 5):
            found.append(client.get("/coops/", HTTP_ACCEPT_LANGUAGE="ru").content.decode())
    assert "Найден 1 кооператив" in found[0]
    assert "Найдено 2 кооператива" in found[1]
    assert "Найдено 5 кооперативов" in found[2]


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
    expires = invitation.expires_at.astimezone(datetime.UTC)
    month = (
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
    )
    day = f"{expires.day} de {month.split()[expires.month - 1]} de {expires.year}"
    # CLDR's Spanish: "17 de diciembre de 2026, 13:09", and "6:48" before ten (H:mm, no zero)
    assert f"vence el {day}, {expires.hour}:{expires:%M} UTC" in email.body
    assert "invited" not in email.body


@pytest.mark.django_db
def test_invitation_email_in_english_stays_english(coop):
    invitation = InvitationFactory(organisation=coop, language="en")
    with translation.override("es"):
        assert invitation_email_send(invitation_id=invitation.pk) is True
    assert mail.outbox[0].subject == "You are invited to join Camplight on Patio"
    assert "Hola" not in mail.outbox[0].body
