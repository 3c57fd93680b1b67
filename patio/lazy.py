"""Modules imported when first used, not when the code naming them is imported.

numpy is about 11 MB of every process that imports it, and only the team matcher uses it: a web
worker that never runs a match (most never do, the Celery worker runs them) should not carry it.

`lazy_module("numpy")` answers a stand-in whose first attribute read imports the module. It is
not the standard library's `LazyLoader`, which puts a not-yet-run module in `sys.modules`:
libraries that look there to learn whether numpy is in use (psycopg does, on every query with
parameters) would then run it on the first page.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class _Lazy:
    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        module: ModuleType = importlib.import_module(self._name)
        value = getattr(module, attribute)
        setattr(self, attribute, value)  # read directly from now on
        return value

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def lazy_module(name: str) -> Any:
    """A stand-in for the module `name`, imported at the first attribute read."""
    return _Lazy(name)
