"""Licences as SPDX expressions, read with `license-expression` and its bundled licence list.

An entry's licence is what people type (`AGPL-3.0-or-later`, `MIT OR Apache-2.0`,
`GPL-2.0+`), checked against the SPDX licence list that `license-expression` ships and written
back in its normal form (`GPL-2.0-or-later`). `LicenseRef-…` names a licence the list does not
know (a product's own terms): it is accepted, and counts as not open source.

Whether an entry is open source, and its licence family, are derived here and stored by the
services, never typed in. The family of one licence is its category in the ScanCode LicenseDB
that the package bundles (permissive, copyleft, weak copyleft, …). For an expression: with
`OR` the user may pick any one, so the most open alternative counts; with `AND` every part
applies, so the most restrictive does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import license_expression
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 200


class Family(models.TextChoices):
    # From the most open to the least: `family_of` compares them in this order.
    PERMISSIVE = "permissive", _("Permissive")
    WEAK_COPYLEFT = "weak_copyleft", _("Weak copyleft")
    COPYLEFT = "copyleft", _("Copyleft")
    SOURCE_AVAILABLE = "source_available", _("Source available")
    PROPRIETARY = "proprietary", _("Proprietary")


OPEN_FAMILIES = frozenset({Family.PERMISSIVE, Family.WEAK_COPYLEFT, Family.COPYLEFT})
_ORDER = list(Family)

# ScanCode LicenseDB categories (bundled with license-expression) as our families.
_CATEGORIES = {
    "Permissive": Family.PERMISSIVE,
    "Public Domain": Family.PERMISSIVE,
    "Copyleft Limited": Family.WEAK_COPYLEFT,
    "Copyleft": Family.COPYLEFT,
    "Source-available": Family.SOURCE_AVAILABLE,
}


class InvalidLicence(ValueError):
    """The text is not an SPDX expression of known licences: the message says why."""


@dataclass(frozen=True)
class Licence:
    expression: str  # the normal form
    family: Family
    keys: tuple[str, ...]  # the SPDX identifiers in it, in order

    @property
    def is_open_source(self) -> bool:
        return self.family in OPEN_FAMILIES


@cache
def _licensing() -> license_expression.Licensing:
    return license_expression.get_spdx_licensing()


@cache
def _family_by_key() -> dict[str, Family]:
    index = Path(license_expression.__file__).parent / "data" / "scancode-licensedb-index.json"
    families: dict[str, Family] = {}
    for row in json.loads(index.read_text()):
        family = _CATEGORIES.get(row.get("category", ""), Family.PROPRIETARY)
        for key in [row.get("spdx_license_key"), *row.get("other_spdx_license_keys", [])]:
            if key:
                families.setdefault(key.lower(), family)
    return families


def _is_reference(key: str) -> bool:
    return key.lower().startswith("licenseref-") and len(key) > len("LicenseRef-")


def parse(text: str) -> Licence:
    """The licence an SPDX expression names, in normal form; InvalidLicence otherwise."""
    text = (text or "").strip()
    if not text:
        raise InvalidLicence(_("Give the licence as an SPDX expression, such as MIT."))
    if len(text) > MAX_LENGTH:
        raise InvalidLicence(_("An SPDX expression this long is not one we can read."))
    licensing = _licensing()
    try:
        parsed = licensing.parse(text, validate=False, strict=True)
    except license_expression.ExpressionError:
        raise InvalidLicence(
            _("“%(text)s” is not an SPDX expression. Join licences with AND, OR or WITH.")
            % {"text": text}
        ) from None
    if parsed is None:
        raise InvalidLicence(_("Give the licence as an SPDX expression, such as MIT."))
    unknown = [
        key
        for key in licensing.unknown_license_keys(parsed)
        if not _is_reference(key) and key.lower() not in _family_by_key()
    ]
    if unknown:
        raise InvalidLicence(
            _("Not on the SPDX licence list: %(keys)s. Use LicenseRef-… for other licences.")
            % {"keys": ", ".join(unknown)}
        )
    keys = tuple(licensing.license_keys(parsed))
    return Licence(expression=str(parsed), family=_family(parsed), keys=keys)


def _family(node: Any) -> Family:
    if isinstance(node, license_expression.LicenseWithExceptionSymbol):
        return _family(node.license_symbol)
    if isinstance(node, license_expression.LicenseSymbol):
        if _is_reference(node.key):
            return Family.PROPRIETARY
        return _family_by_key().get(node.key.lower(), Family.PROPRIETARY)
    parts = [_family(arg) for arg in node.args]
    pick = min if isinstance(node, license_expression.OR) else max
    return _ORDER[pick(_ORDER.index(part) for part in parts)]


def spdx_url(key: str) -> str | None:
    """The licence's page on the SPDX list, or None for a LicenseRef."""
    return None if _is_reference(key) else f"https://spdx.org/licenses/{key}.html"
