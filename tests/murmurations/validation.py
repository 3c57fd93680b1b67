"""Validation of profiles against the JSON Schemas kept in `schemas/`, written from the published
Murmurations schema and field definitions and laid out as the library lays them out
(`schemas/<name>.json` referring to `../fields/<field>.json`). References resolve to these files
only: nothing is fetched."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT7

HERE = Path(__file__).parent / "schemas"
LIBRARY = "https://library.murmurations.network/v2/"


def _load(relative: str) -> Any:
    path = HERE / relative
    if not path.is_file():
        path = HERE / f"{relative}.json"
    return json.loads(path.read_text())


def _retrieve(uri: str) -> Resource:
    if not uri.startswith(LIBRARY):
        raise NoSuchResource(ref=uri)
    try:
        # The field files name no dialect, as the library's don't: they are draft-07's.
        return Resource.from_contents(
            _load(uri.removeprefix(LIBRARY)), default_specification=DRAFT7
        )
    except FileNotFoundError:
        raise NoSuchResource(ref=uri) from None


@cache
def validator(schema: str) -> Draft7Validator:
    contents = _load(f"schemas/{schema}")
    Draft7Validator.check_schema(contents)
    return Draft7Validator(
        contents,
        registry=Registry(retrieve=_retrieve),
        format_checker=Draft7Validator.FORMAT_CHECKER,
    )


def errors(profile: dict[str, Any]) -> list[str]:
    """Every way `profile` breaks the schemas it links to (none: it is valid)."""
    linked = profile.get("linked_schemas")
    if not isinstance(linked, list) or not linked:
        return ["linked_schemas is missing"]
    found = []
    for schema in linked:
        try:
            checker = validator(schema)
        except FileNotFoundError:
            found.append(f"{schema}: no such schema here")
            continue
        for error in checker.iter_errors(profile):
            where = "/".join(str(part) for part in error.absolute_path) or "(root)"
            found.append(f"{schema}: {where}: {error.message}")
    return found


def assert_valid(profile: dict[str, Any]) -> None:
    problems = errors(profile)
    assert not problems, "\n".join(problems)
