"""Policies in many languages (issue 17): an original in one language, translations made from one
of its versions, read with `?language=`, marked with their `lang`, and said to be older than the
original when it has moved on. A translation is never a version.

Who may add and update them is in test_translation_permissions.py."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from patio.translations import reading
from policies import services
from policies.models import Policy, PolicyTranslation, PolicyVersion
from tests.api_helpers import assert_problem
from tests.html_lang import language_of
from tests.policies.factories import PolicyFactory, PolicyVersionFactory

pytestmark = pytest.mark.django_db

SPANISH_TITLE = "Pautas de retroalimentación"
SPANISH_TEXT = "La retroalimentación es amable y concreta."


def _translate(person, policy, language="es", title=SPANISH_TITLE, text=SPANISH_TEXT):
    return services.translation_add(
        actor=person.user, policy=policy, language=language, title=title, text=text
    )


@pytest.fixture
def spanish(public_policy, member):
    """The public policy (English, version 1) in Spanish, made from version 1."""
    return _translate(member, public_policy)


@pytest.fixture
def moved_on(public_policy, spanish):
    """The original is at version 2 now: the Spanish translation is older than it."""
    PolicyVersionFactory(policy=public_policy, number=2, text="Feedback is kind, specific, soon.")
    return public_policy


# The services -----------------------------------------------------------------------------------
def test_a_translation_is_made_from_the_current_version_and_is_no_version(public_policy, member):
    versions = PolicyVersion.objects.count()
    before = Policy.objects.get(pk=public_policy.pk).updated_at

    made = _translate(member, public_policy)

    assert made.source_version == public_policy.versions.get(number=1)
    assert made.translator == member
    assert PolicyVersion.objects.count() == versions  # nothing adopted
    assert Policy.objects.get(pk=public_policy.pk).updated_at > before  # the API's policy changed
    event = AuditEvent.objects.get(action="policy.translation_add")
    assert event.after == {"language": "es", "source_version": 1}


def test_a_translation_into_the_originals_own_language_is_refused(public_policy, member):
    with pytest.raises(ValidationError) as refused:
        _translate(member, public_policy, language="en")
    assert "The original is written in English" in refused.value.message_dict["language"][0]
    assert not PolicyTranslation.objects.exists()


def test_a_second_translation_into_the_same_language_is_refused(spanish, public_policy, colleague):
    with pytest.raises(ValidationError) as refused:
        _translate(colleague, public_policy, text="Otra traducción.")
    assert "translation into Spanish already" in refused.value.message_dict["language"][0]
    assert PolicyTranslation.objects.get().text == SPANISH_TEXT


def test_the_database_keeps_one_translation_per_policy_and_language(spanish):
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyTranslation.objects.create(
            policy=spanish.policy,
            language="es",
            title="Doble",
            text="Doble.",
            source_version=spanish.source_version,
            translator=spanish.translator,
        )


def test_an_empty_text_is_refused_with_every_other_error_at_once(public_policy, member):
    with pytest.raises(ValidationError) as refused:
        _translate(member, public_policy, language="en", title=" ", text=" \n ")
    assert refused.value.message_dict.keys() == {"language", "title", "text"}


def test_a_policy_without_an_adopted_text_cannot_be_translated(member):
    policy = PolicyFactory(visibility="public")
    with pytest.raises(ValidationError):
        _translate(member, policy)


def test_a_network_admin_without_a_person_cannot_translate(public_policy, network_admin):
    with pytest.raises(PermissionDenied):
        services.translation_add(
            actor=network_admin, policy=public_policy, language="es", title="t", text="x"
        )


def test_updating_moves_the_translation_to_the_current_version_in_the_updaters_name(
    moved_on, spanish, colleague
):
    services.translation_update(
        actor=colleague.user,
        translation=spanish,
        title=SPANISH_TITLE,
        text="La retroalimentación es amable, concreta y pronta.",
    )

    spanish.refresh_from_db()
    assert spanish.source_version.number == 2
    assert spanish.translator == colleague
    event = AuditEvent.objects.get(action="policy.translation_update")
    assert (event.before, event.after) == ({"source_version": 1}, {"source_version": 2})


def test_confirming_an_outdated_translation_unchanged_still_moves_it_on(moved_on, spanish, member):
    """The original's change may not touch what the translation says: saving it as it is says
    so, and it is then made from the current version."""
    services.translation_update(
        actor=member.user, translation=spanish, title=SPANISH_TITLE, text=SPANISH_TEXT
    )
    spanish.refresh_from_db()
    assert spanish.source_version.number == 2


def test_an_update_that_changes_nothing_is_refused(spanish, member):
    with pytest.raises(ValidationError) as refused:
        services.translation_update(
            actor=member.user, translation=spanish, title=SPANISH_TITLE, text=SPANISH_TEXT
        )
    assert "text" in refused.value.message_dict


# Which text is shown ----------------------------------------------------------------------------
@dataclass
class _Row:
    """A translation as `reading()` sees one."""

    language: str
    outdated: bool = False
    title: str = "A title"
    text: str = "A text"


def _reading(requested=None, preferred="en", rows=("es", "fr")):
    return reading(
        original_language="en",
        original_title="Original",
        original_text="Text",
        translations=[_Row(code, outdated=code == "fr") for code in rows],
        requested=requested,
        preferred=preferred,
        is_outdated=lambda row: row.outdated,
    )


@pytest.mark.parametrize(
    ("requested", "preferred", "shown"),
    [
        (None, "en", "en"),  # an English reader gets the original
        (None, "es", "es"),  # a Spanish reader gets the Spanish translation
        (None, "ja", "en"),  # no Japanese translation: the original
        ("fr", "es", "fr"),  # the reader's choice wins
        ("en", "es", "en"),  # the original chosen by a Spanish reader
        ("zz", "es", "en"),  # an unknown choice: the original, not a guess
    ],
)
def test_the_reader_gets_their_choice_else_their_language_else_the_original(
    requested, preferred, shown
):
    chosen = _reading(requested, preferred)
    assert chosen.language == shown
    assert chosen.is_original == (shown == "en")
    assert [lang.code for lang in chosen.languages if lang.is_shown] == [shown]


def test_the_languages_are_named_in_themselves_the_original_first():
    languages = _reading().languages
    assert [(lang.code, lang.own_name, lang.is_original) for lang in languages] == [
        ("en", "English", True),
        ("es", "Español", False),
        ("fr", "Français", False),
    ]
    assert [lang.code for lang in languages if lang.is_outdated] == ["fr"]


def test_a_translation_into_the_originals_language_is_left_out():
    """The original's language was changed after the translation was made."""
    assert [lang.code for lang in _reading(rows=("en", "es")).languages] == ["en", "es"]


# The pages --------------------------------------------------------------------------------------
def test_a_chosen_translation_is_shown_with_its_lang_and_says_the_original_binds(
    client, spanish, public_policy
):
    page = client.get(public_policy.get_absolute_url(), {"language": "es"}).content.decode()

    assert language_of(page, SPANISH_TITLE) == "es"  # the h1
    assert language_of(page, "La retroalimentación es amable") == "es"
    # The reader sees the translation; the page's JSON-LD describes the original work.
    shown = re.sub(r'<script type="application/ld\+json">.*?</script>', "", page, flags=re.S)
    assert "Feedback is kind and specific." not in shown
    assert "This is a translation into Spanish." in page
    assert "The original, in English, is the text that binds." in page
    assert f'href="{public_policy.get_absolute_url()}?language=en"' in page
    assert language_of(page, "This is a translation") == "en"  # the page's own words


def test_the_read_in_links_name_each_language_in_itself(client, spanish, public_policy):
    page = client.get(public_policy.get_absolute_url()).content.decode()

    url = public_policy.get_absolute_url()
    assert f'<a href="{url}?language=es" lang="es" hreflang="es">Español</a>' in page
    assert language_of(page, "Español") == "es"
    assert language_of(page, "(original)") == "en"
    # The reader's own language is English: the original is shown, and says it is the original.
    assert language_of(page, "Feedback is kind and specific.") == "en"
    assert "This is the original, in English: the text that binds." in page


def test_a_reader_whose_language_is_spanish_gets_the_spanish_translation(
    login, spanish, public_policy, colleague
):
    colleague.language = "es"
    colleague.save(update_fields=["language"])

    page = login(colleague.user).get(public_policy.get_absolute_url()).content.decode()

    assert language_of(page, SPANISH_TITLE) == "es"
    with translation.override("es"):
        assert translation.gettext("Read in") in page


def test_an_older_translation_says_which_version_it_was_made_from(
    login, moved_on, spanish, colleague
):
    url = moved_on.get_absolute_url()
    page = login(colleague.user).get(url, {"language": "es"}).content.decode()

    assert "Older than the original." in page
    assert "This translation was made from version 1; the original is now at version 2." in page
    assert f'<a href="{url}?language=en" hreflang="en">Read the original.</a>' in page
    edit = reverse("policies:translation_edit", args=[moved_on.slug, "es"])
    assert f'href="{edit}"' in page
    assert "(older than the original)" in page  # in the list of languages


def test_visitors_get_no_update_link_and_no_translators_name(client, moved_on, spanish, member):
    page = client.get(moved_on.get_absolute_url(), {"language": "es"}).content.decode()
    assert "Older than the original." in page
    assert reverse("policies:translation_edit", args=[moved_on.slug, "es"]) not in page
    assert member.display_name not in page


def test_members_see_who_translated_it(login, spanish, public_policy, colleague, member):
    page = login(colleague.user).get(public_policy.get_absolute_url(), {"language": "es"})
    assert f"Translated by {member.display_name} from version 1." in page.content.decode()


def test_the_index_shows_the_languages_each_policy_can_be_read_in(client, spanish, public_policy):
    page = client.get(reverse("policies:index")).content.decode()
    assert f'href="{public_policy.get_absolute_url()}?language=es"' in page
    assert language_of(page, "Español") == "es"
    assert language_of(page, public_policy.title) == "en"


def test_the_index_gives_a_spanish_reader_the_spanish_title(login, spanish, colleague):
    colleague.language = "es"
    colleague.save(update_fields=["language"])
    page = login(colleague.user).get(reverse("policies:index")).content.decode()
    assert language_of(page, SPANISH_TITLE) == "es"


def test_a_policy_written_in_spanish_marks_its_original_as_spanish(client, member):
    policy = PolicyFactory(title="Horas para la red", visibility="public", language="es")
    PolicyVersionFactory(policy=policy, text="Las horas se registran cada mes.")
    page = client.get(policy.get_absolute_url()).content.decode()
    assert language_of(page, "Horas para la red") == "es"
    assert language_of(page, "Las horas se registran") == "es"


def test_the_compare_page_compares_originals_and_says_so(client, moved_on, spanish):
    url = reverse("policies:compare", args=[moved_on.slug])
    page = client.get(url, {"a": 1, "b": 2, "language": "es"}).content.decode()
    assert "This compares the original texts, written in English." in page
    assert "Translations are not versions" in page
    assert language_of(page, "soon") == "en"
    assert SPANISH_TEXT not in page


# The form ---------------------------------------------------------------------------------------
def _new_url(policy: Policy) -> str:
    return reverse("policies:translation_new", args=[policy.slug])


def test_a_member_adds_a_translation_through_the_form_and_reads_it(login, public_policy, colleague):
    client = login(colleague.user)
    form = client.get(_new_url(public_policy), {"language": "fr"})
    assert form.context["form"]["language"].value() == "fr"

    response = client.post(
        _new_url(public_policy),
        {"language": "fr", "title": "Retours", "text": "Les retours sont bienveillants."},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{public_policy.get_absolute_url()}?language=fr"
    page = client.get(response["Location"]).content.decode()
    assert language_of(page, "Les retours sont bienveillants.") == "fr"


def test_the_form_offers_only_the_languages_still_open(login, spanish, public_policy, colleague):
    form = login(colleague.user).get(_new_url(public_policy)).context["form"]
    offered = {code for code, _name in form.fields["language"].choices if code}
    assert "es" not in offered and "en" not in offered and "fr" in offered


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"language": "es", "title": "Otra", "text": "Otra."},
            "language",
            "This policy has a translation into Spanish already: update that one.",
        ),
        (
            {"language": "en", "title": "Same", "text": "Same."},
            "language",
            "The original is written in English: a translation is into another language.",
        ),
        ({"language": "fr", "title": "Retours", "text": "   "}, "text", "This field is required."),
        ({"language": "zz", "title": "t", "text": "x"}, "language", "Select a valid choice"),
    ],
    ids=["duplicate language", "original's language", "empty text", "unknown language"],
)
def test_a_refused_translation_shows_its_form_error_and_saves_nothing(
    login, spanish, public_policy, colleague, data, field, message
):
    response = login(colleague.user).post(_new_url(public_policy), data)

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert message in html.unescape(response.content.decode())  # beside the field, and on top
    assert PolicyTranslation.objects.count() == 1


def test_the_update_form_shows_what_changed_in_the_original_and_moves_it_on(
    login, moved_on, spanish, colleague
):
    client = login(colleague.user)
    url = reverse("policies:translation_edit", args=[moved_on.slug, "es"])

    page = client.get(url).content.decode()
    assert "What changed in the original from version 1 to version 2" in page
    assert "<ins>soon.</ins>" in page or "<ins>" in page
    assert language_of(page, "Feedback is kind, specific, soon.") == "en"

    response = client.post(url, {"title": SPANISH_TITLE, "text": "Amable, concreta y pronta."})
    assert response.status_code == 302
    spanish.refresh_from_db()
    assert spanish.source_version.number == 2
    page = client.get(response["Location"]).content.decode()
    assert "Older than the original." not in page


def test_updating_a_translation_that_does_not_exist_is_a_404(login, public_policy, colleague):
    url = reverse("policies:translation_edit", args=[public_policy.slug, "ja"])
    assert login(colleague.user).get(url).status_code == 404


# The API ----------------------------------------------------------------------------------------
def test_the_api_gives_the_language_and_the_translations_with_their_state(
    api_client, moved_on, spanish
):
    body = api_client.get(reverse("api:policy-detail", args=[moved_on.slug])).json()

    assert body["language"] == "en"
    assert body["translations"] == [
        {
            "language": "es",
            "title": SPANISH_TITLE,
            "text": SPANISH_TEXT,
            "source_version": 1,
            "outdated": True,
            "url": f"http://testserver{moved_on.get_absolute_url()}?language=es",
            "updated_at": body["translations"][0]["updated_at"],
        }
    ]
    assert "translator" not in body["translations"][0]


def test_a_member_adds_and_updates_a_translation_through_the_api(
    api_client, moved_on, spanish, colleague
):
    api_client.force_authenticate(colleague.user)
    url = reverse("api:policy-translate", args=[moved_on.slug])

    created = api_client.post(
        url, {"language": "fr", "title": "Retours", "text": "Bienveillants."}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["source_version"] == 2 and created.json()["outdated"] is False
    assert created["Location"]

    update = reverse("api:policy-update-translation", args=[moved_on.slug, "es"])
    updated = api_client.post(update, {"title": "Pautas", "text": "Pronta."}, format="json")
    assert updated.status_code == 200, updated.content
    assert updated.json()["outdated"] is False and updated.json()["source_version"] == 2


def test_a_duplicate_translation_is_a_problem_naming_the_language(
    api_client, spanish, public_policy, colleague
):
    api_client.force_authenticate(colleague.user)
    response = api_client.post(
        reverse("api:policy-translate", args=[public_policy.slug]),
        {"language": "es", "title": "Otra", "text": "Otra."},
        format="json",
    )
    problem = assert_problem(response, 400)
    assert "language" in problem["errors"]
    assert PolicyTranslation.objects.count() == 1


def test_unknown_fields_and_languages_are_refused_by_the_api(api_client, public_policy, member):
    api_client.force_authenticate(member.user)
    url = reverse("api:policy-translate", args=[public_policy.slug])
    body = {"language": "es", "title": "t", "text": "x", "source_version": 9}
    assert (
        "source_version" in assert_problem(api_client.post(url, body, format="json"), 400)["errors"]
    )
    body = {"language": "xx", "title": "t", "text": "x"}
    assert "language" in assert_problem(api_client.post(url, body, format="json"), 400)["errors"]
    missing = reverse("api:policy-update-translation", args=[public_policy.slug, "ja"])
    assert_problem(api_client.post(missing, {"title": "t", "text": "x"}, format="json"), 404)
    assert not PolicyTranslation.objects.exists()


def test_the_schema_documents_the_translation_endpoints(api_client):
    paths = api_client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    assert "post" in paths["/api/v1/policies/{slug}/translations/"]
    assert "post" in paths["/api/v1/policies/{slug}/translations/{language}/"]


# Query counts -----------------------------------------------------------------------------------
LANGUAGES = ["bg", "es", "fr", "ja", "pt-br", "ru", "tr"]


def _translated_policies(size: int, translator) -> None:
    for n in range(size):
        policy = PolicyFactory(visibility="public")
        first = PolicyVersionFactory(policy=policy, number=1)
        PolicyVersionFactory(policy=policy, number=2, text=f"v{n}")
        for language in LANGUAGES[: 1 + n % 3]:
            PolicyTranslation.objects.create(
                policy=policy,
                language=language,
                title=f"{language} {n}",
                text="…",
                source_version=first,
                translator=translator,
            )


@pytest.mark.parametrize("size", [2, 14])
def test_the_index_with_translations_runs_a_constant_number_of_queries(
    login, member, size, django_assert_max_num_queries
):
    _translated_policies(size, member)
    client = login(member.user)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("policies:index")).status_code == 200


@pytest.mark.parametrize("size", [1, 7])
def test_the_policy_page_with_translations_runs_a_constant_number_of_queries(
    login, member, public_policy, size, django_assert_max_num_queries
):
    for language in LANGUAGES[:size]:
        _translate(member, public_policy, language=language, text=f"In {language}.")
    PolicyVersionFactory(policy=public_policy, number=2, text="Newer.")
    client = login(member.user)
    with django_assert_max_num_queries(11):
        response = client.get(public_policy.get_absolute_url(), {"language": LANGUAGES[0]})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 14])
def test_the_policy_list_with_translations_runs_a_constant_number_of_queries(
    api_client, member, size, django_assert_max_num_queries
):
    _translated_policies(size, member)
    with django_assert_max_num_queries(5):
        response = api_client.get(reverse("api:policy-list"))
    assert response.status_code == 200
    assert all(t["outdated"] for p in response.json()["results"] for t in p["translations"])
