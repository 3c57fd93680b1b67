"""publiccode.yml, the European metadata standard for public software: read one into an entry's
fields, and write an entry as one.

Reading is strict about what the standard requires and forgiving about the rest: the YAML is
parsed with `yaml.safe_load` (no tags that build objects), the required keys of the core schema
are checked, and every one missing or of the wrong shape is reported by its dotted name
(`legal.license`), all at once, so a maintainer fixes their file in one go. Keys we have no
place for are ignored. Fetching a file by URL goes through `webhooks.targets.get`: http(s) only,
an allowed address (public ones in production, this machine in the demo and tests), no
redirects, a timeout and a size cap.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import yaml
from django.conf import settings
from django.utils.translation import gettext as _

from catalogue.licences import InvalidLicence
from catalogue.licences import parse as parse_licence
from patio import dates
from webhooks import targets

if TYPE_CHECKING:
    from catalogue.models import Software

MAX_BYTES = 256 * 1024
FETCH_TIMEOUT_SECONDS = 10
VERSION = "0.4"

# The core schema's required keys (publiccode.yml 0.4). Every language of `description` needs
# the three below; `maintenance.contacts` is required when the type is internal or community,
# `maintenance.contractors` when it is contract (and allowed only then).
REQUIRED = (
    "publiccodeYmlVersion",
    "name",
    "url",
    "platforms",
    "developmentStatus",
    "softwareType",
    "description",
    "legal.license",
    "maintenance.type",
    "localisation.localisationReady",
    "localisation.availableLanguages",
)
DESCRIPTION_REQUIRED = ("shortDescription", "longDescription", "features")
CONTACTS_REQUIRED_FOR = ("internal", "community")
DEVELOPMENT_STATUSES = ("concept", "development", "beta", "stable", "obsolete")
MAINTENANCE_TYPES = ("internal", "contract", "community", "none")

# developmentStatus -> our maturity, and back.
MATURITY_FROM = {
    "concept": "idea",
    "development": "beta",
    "beta": "beta",
    "stable": "stable",
    "obsolete": "unmaintained",
}
STATUS_FROM_MATURITY = {
    "idea": "concept",
    "beta": "beta",
    "stable": "stable",
    "mature": "stable",
    "unmaintained": "obsolete",
}
# The standard's categories that name one of our functions (by slug); the others are left out.
CATEGORY_TO_FUNCTION = {
    "accounting": "accounting",
    "billing-and-invoicing": "accounting",
    "financial-reporting": "accounting",
    "crm": "membership",
    "contact-management": "membership",
    "customer-relationship-management": "membership",
    "voting": "governance",
    "e-commerce": "e-commerce",
    "website-builder": "websites",
    "content-management": "websites",
    "blog": "websites",
    "communications": "communication",
    "instant-messaging": "communication",
    "email-management": "communication",
    "social-media-management": "communication",
    "video-conferencing": "video-meetings",
    "collaboration": "collaboration",
    "document-management": "collaboration",
    "knowledge-management": "collaboration",
    "office": "collaboration",
    "project-management": "project-management",
    "workflow-management": "project-management",
    "online-community": "communication",
    "design": "design",
    "it-helpdesk": "support-desk",
    "help-desk": "support-desk",
    "erp": "erp",
    "enterprise-resource-planning": "erp",
    "hr": "erp",
    "human-resources": "erp",
}
FUNCTION_TO_CATEGORY = {
    "accounting": "accounting",
    "membership": "crm",
    "governance": "voting",
    "e-commerce": "e-commerce",
    "websites": "website-builder",
    "communication": "communications",
    "video-meetings": "video-conferencing",
    "collaboration": "collaboration",
    "project-management": "project-management",
    "design": "design",
    "support-desk": "it-helpdesk",
    "erp": "enterprise-resource-planning",
}


class PubliccodeError(ValueError):
    """The file cannot be used: each problem is a sentence naming the key concerned."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Imported:
    """An entry's fields as a publiccode.yml gives them."""

    data: dict[str, Any]
    function_slugs: list[str] = field(default_factory=list)
    language_codes: list[str] = field(default_factory=list)


def _get(document: dict[str, Any], dotted: str) -> Any:
    node: Any = document
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _missing(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def load(text: str | bytes) -> dict[str, Any]:
    """The YAML as a mapping; PubliccodeError when it is not YAML or not a mapping."""
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise PubliccodeError([_too_large()])
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise PubliccodeError([_("The file is not UTF-8 text.")]) from None
    if len(text) > MAX_BYTES:
        raise PubliccodeError([_too_large()])
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _(" (line %(line)d)") % {"line": mark.line + 1} if mark else ""
        raise PubliccodeError([_("This is not valid YAML%(where)s.") % {"where": where}]) from None
    if not isinstance(document, dict):
        raise PubliccodeError([_("A publiccode.yml holds keys and values at its top level.")])
    return document


def _too_large() -> str:
    return _("The file is larger than %(kib)d KiB.") % {"kib": MAX_BYTES // 1024}


def problems(document: dict[str, Any]) -> list[str]:
    """What the document lacks of what the standard requires, or has in the wrong shape."""
    found = [
        _("The required key %(key)s is missing.") % {"key": key}
        for key in REQUIRED
        if _missing(_get(document, key))
    ]
    descriptions = document.get("description")
    if descriptions is not None and not isinstance(descriptions, dict):
        found.append(_("description must hold one section per language (en, it, …)."))
    elif isinstance(descriptions, dict):
        for lang, text in descriptions.items():
            text = text if isinstance(text, dict) else {}
            found.extend(
                _("The required key %(key)s is missing.") % {"key": f"description.{lang}.{key}"}
                for key in DESCRIPTION_REQUIRED
                if _missing(text.get(key))
            )
            features = text.get("features")
            if not _missing(features) and not isinstance(features, list):
                found.append(_("%(key)s must be a list.") % {"key": f"description.{lang}.features"})
    status = document.get("developmentStatus")
    if not _missing(status) and status not in DEVELOPMENT_STATUSES:
        found.append(
            _("developmentStatus must be one of: %(values)s.")
            % {"values": ", ".join(DEVELOPMENT_STATUSES)}
        )
    maintenance = _get(document, "maintenance.type")
    if not _missing(maintenance) and maintenance not in MAINTENANCE_TYPES:
        found.append(
            _("maintenance.type must be one of: %(values)s.")
            % {"values": ", ".join(MAINTENANCE_TYPES)}
        )
    found.extend(_maintenance_problems(document, maintenance))
    for key in ("platforms", "localisation.availableLanguages"):
        value = _get(document, key)
        if not _missing(value) and not isinstance(value, list):
            found.append(_("%(key)s must be a list.") % {"key": key})
    licence = _get(document, "legal.license")
    if isinstance(licence, str) and licence.strip():
        try:
            parse_licence(licence)
        except InvalidLicence as error:
            found.append(f"legal.license: {error}")
    url = document.get("url")
    if not _missing(url) and not _is_web_url(url):
        found.append(_("url must be the address of the source code, starting with https://."))
    return found


def _maintenance_problems(document: dict[str, Any], maintenance: Any) -> list[str]:
    """Contacts for internal and community, contractors for contract and only then, each entry
    with the keys the standard requires (a contact's name; a contractor's name and date)."""
    found: list[str] = []
    contacts = _get(document, "maintenance.contacts")
    contractors = _get(document, "maintenance.contractors")
    if maintenance in CONTACTS_REQUIRED_FOR and _missing(contacts):
        found.append(
            _("The key %(key)s is required when maintenance.type is %(type)s.")
            % {"key": "maintenance.contacts", "type": maintenance}
        )
    if maintenance == "contract" and _missing(contractors):
        found.append(
            _("The key %(key)s is required when maintenance.type is %(type)s.")
            % {"key": "maintenance.contractors", "type": maintenance}
        )
    if maintenance != "contract" and not _missing(maintenance) and contractors is not None:
        found.append(
            _("The key maintenance.contractors is allowed only when maintenance.type is contract.")
        )
    for key, value, required in (
        ("maintenance.contacts", contacts, ("name",)),
        ("maintenance.contractors", contractors, ("name", "until")),
    ):
        if value is None:
            continue
        if not isinstance(value, list):
            found.append(_("%(key)s must be a list.") % {"key": key})
            continue
        for index, item in enumerate(value):
            item = item if isinstance(item, dict) else {}
            found.extend(
                _("The required key %(key)s is missing.") % {"key": f"{key}[{index}].{name}"}
                for name in required
                if _missing(item.get(name))
            )
            until = item.get("until")
            if key == "maintenance.contractors" and not _missing(until) and not _release(until):
                found.append(
                    _("%(key)s must be a date (YYYY-MM-DD).") % {"key": f"{key}[{index}].until"}
                )
    return found


def _is_web_url(value: Any) -> bool:
    return isinstance(value, str) and urlsplit(value).scheme in ("http", "https")


def _text(value: Any, limit: int) -> str:
    return str(value).strip()[:limit] if value is not None else ""


def _description(document: dict[str, Any], language: str) -> dict[str, Any]:
    """The description in the reader's language, else English, else the first complete one."""
    descriptions = document.get("description") or {}
    for lang in (language, "en", *descriptions):
        text = descriptions.get(lang)
        if isinstance(text, dict) and text.get("shortDescription"):
            return text
    return {}


def _release(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def to_fields(document: dict[str, Any], *, language: str = "en") -> Imported:
    """The fields of an entry from a valid document (`problems()` found nothing)."""
    from catalogue.models import DESCRIPTION_MAX, FEATURE_MAX, FEATURES_MAX, SUMMARY_MAX

    description = _description(document, language)
    long_text = _text(description.get("longDescription"), DESCRIPTION_MAX)
    features = [_text(f, FEATURE_MAX) for f in description.get("features") or []]
    features = list(dict.fromkeys(f for f in features if f))[:FEATURES_MAX]
    platforms = [str(p).lower() for p in document.get("platforms") or []]
    landing = document.get("landingURL")
    data: dict[str, Any] = {
        "name": _text(document.get("name"), 120),
        "summary": _text(description.get("shortDescription"), SUMMARY_MAX),
        "description": long_text,
        "features": features,
        "licence": str(_get(document, "legal.license")).strip(),
        "source_url": _text(document.get("url"), 300),
        "website_url": _text(landing, 300) if _is_web_url(landing) else "",
        "maturity": MATURITY_FROM.get(str(document.get("developmentStatus")), "stable"),
        "last_version": _text(document.get("softwareVersion"), 40),
        "last_release": _release(document.get("releaseDate")),
        "self_hosted": str(document.get("softwareType", "")).startswith("standalone")
        or "linux" in platforms,
        "saas": "web" in platforms and str(document.get("softwareType")) == "standalone/web",
    }
    categories = [str(c) for c in document.get("categories") or []]
    functions = list(
        dict.fromkeys(CATEGORY_TO_FUNCTION[c] for c in categories if c in CATEGORY_TO_FUNCTION)
    )
    codes = [
        str(code).split("-")[0].lower()
        for code in _get(document, "localisation.availableLanguages") or []
    ]
    return Imported(data=data, function_slugs=functions, language_codes=list(dict.fromkeys(codes)))


def read(text: str | bytes, *, language: str = "en") -> Imported:
    """A publiccode.yml's text as an entry's fields; PubliccodeError listing what is wrong."""
    document = load(text)
    found = problems(document)
    if found:
        raise PubliccodeError(found)
    return to_fields(document, language=language)


def fetch(url: str) -> bytes:
    """The file at `url`: http(s) only, an allowed address, no redirect, a timeout, a size cap."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PubliccodeError([_("Give an address starting with https://.")])
    if parts.username is not None or parts.password is not None:
        raise PubliccodeError([_("Put no user name or password in the address.")])
    try:
        parts.port  # noqa: B018 - reading it checks it
    except ValueError:
        raise PubliccodeError([_("The address's port is not a number.")]) from None
    if targets.mode() == targets.PUBLIC and parts.scheme != "https":
        raise PubliccodeError([_("Give an address starting with https://.")])
    try:
        targets.addresses(parts.hostname.rstrip("."), parts.port or 443)
    except targets.TargetRefused:
        if targets.mode() == targets.LOOPBACK:
            message = _("Here files are fetched only from this machine; upload the file instead.")
        else:
            message = _("This address cannot be reached from here.")
        raise PubliccodeError([message]) from None
    timeout = float(getattr(settings, "PUBLICCODE_FETCH_TIMEOUT_SECONDS", FETCH_TIMEOUT_SECONDS))
    fetched = targets.get(url.strip(), max_bytes=MAX_BYTES, timeout=timeout)
    if fetched.status is None:
        raise PubliccodeError(
            [_("The file could not be fetched: %(error)s") % {"error": fetched.error}]
        )
    if 300 <= fetched.status < 400:
        raise PubliccodeError([_("The address redirects elsewhere: give the file's own address.")])
    if fetched.status != 200:
        raise PubliccodeError(
            [_("The server answered %(status)d, not the file.") % {"status": fetched.status}]
        )
    if fetched.too_large:
        raise PubliccodeError([_too_large()])
    return fetched.body


def export(software: Software, *, site_url: str | None = None) -> dict[str, Any]:
    """An entry as a publiccode.yml document (its prefetched relations, as the page shows)."""
    base = site_url if site_url is not None else settings.SITE_URL
    page = f"{base}{software.get_absolute_url()}"
    description: dict[str, Any] = {
        "shortDescription": software.summary[:150],
        "longDescription": software.description or software.summary,
        "features": list(software.features),
    }
    document: dict[str, Any] = {
        "publiccodeYmlVersion": VERSION,
        "name": software.name,
        "url": software.source_url or software.website_url or page,
        "landingURL": software.website_url or page,
        "softwareVersion": software.last_version or None,
        "releaseDate": software.last_release.isoformat() if software.last_release else None,
        "platforms": ["web"],
        "categories": [
            FUNCTION_TO_CATEGORY[c.slug]
            for c in software.categories.all()
            if c.slug in FUNCTION_TO_CATEGORY
        ],
        "developmentStatus": STATUS_FROM_MATURITY[software.maturity],
        "softwareType": "standalone/web",
        "description": {"en": description},
        "legal": {"license": software.licence},
        "maintenance": maintenance(software),
        "localisation": {
            "localisationReady": len(software.ui_languages.all()) > 1,
            "availableLanguages": [language.code for language in software.ui_languages.all()]
            or ["en"],
        },
    }
    return {key: value for key, value in document.items() if value not in (None, [], "")}


def maintenance(software: Software, *, today: datetime.date | None = None) -> dict[str, Any]:
    """How the entry is maintained, derived from the catalogue (nothing to tick, nothing to
    drift), as publiccode.yml's `maintenance`:

    - unmaintained: `none`;
    - a contact from a co-op that makes it: `internal`, with the contacts;
    - else a member co-op offering support under a contract that runs today or later:
      `contract`, with those co-ops as contractors (and the contacts, if any);
    - else contacts from elsewhere in the network: `community`;
    - else `none`: nobody in the network said they maintain it.

    A contact's email and phone appear only if the directory shows them to everyone."""
    from members.permissions import visible_contact_fields

    today = today or dates.network_today()
    if software.maturity == "unmaintained":
        return {"type": "none"}
    makers = {maker.pk for maker in software.makers.all()}
    contacts = [contact.person for contact in software.contacts.all()]
    contractors = [
        provider
        for provider in software.providers.all()
        if "support" in provider.services
        and provider.support_until is not None
        and provider.support_until >= today
        and provider.organisation.status == "member"
    ]
    documented = []
    for person in contacts:
        shown = visible_contact_fields(None, person)
        documented.append(
            {
                "name": person.display_name,
                "email": person.contact_email if "contact_email" in shown else None,
                "phone": person.phone if "phone" in shown else None,
                "affiliation": person.organisation.name,
            }
        )
    documented = [{k: v for k, v in c.items() if v} for c in documented]
    if any(person.organisation_id in makers for person in contacts):
        return {"type": "internal", "contacts": documented}
    if contractors:
        result: dict[str, Any] = {
            "type": "contract",
            "contractors": [
                {
                    "name": provider.organisation.name,
                    "until": provider.support_until.isoformat(),
                    "website": provider.organisation.website or None,
                }
                for provider in contractors
                if provider.support_until is not None
            ],
        }
        result["contractors"] = [{k: v for k, v in c.items() if v} for c in result["contractors"]]
        if documented:
            result["contacts"] = documented
        return result
    if documented:
        return {"type": "community", "contacts": documented}
    return {"type": "none"}


def dumps(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
