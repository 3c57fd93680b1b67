"""Where security events come from: signals, connected once in `PatioConfig.ready()`.

Django's and allauth's signals give logins, failures, password, email and two-factor changes. A
`post_save` on `audit.AuditEvent` gives every audited act (role grants, money approvals, tokens,
decisions) without each service logging twice, and one on the admin's `LogEntry` gives admin
actions. Refusals, throttling and token use are seen on the response, in
`patio.middleware.SecurityEventsMiddleware`.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.admin.models import LogEntry
from django.contrib.auth import signals as auth_signals
from django.db import transaction
from django.db.models.signals import post_save
from django.http import HttpRequest

from patio.security_log import account_digest, security_event

ADMIN_ACTIONS = {1: "add", 2: "change", 3: "delete"}


def _login_name(credentials: dict[str, Any]) -> str:
    for field in ("email", "username", "login"):
        value = credentials.get(field)
        if isinstance(value, str) and value:
            return value
    return ""


def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    security_event("login.succeeded", request, user_id=user.pk)


def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    name = _login_name(credentials)
    security_event("login.failed", request, account=account_digest(name) if name else "")


def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    security_event("logout", request, user_id=getattr(user, "pk", None))


def _account_change(event: str) -> Any:
    def receiver(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        user = kwargs.get("user")
        security_event(event, request, user_id=getattr(user, "pk", None))

    receiver.__name__ = f"log_{event.replace('.', '_')}"
    return receiver


def _authenticator(event: str) -> Any:
    def receiver(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        authenticator = kwargs.get("authenticator")
        security_event(
            event,
            request,
            user_id=getattr(kwargs.get("user"), "pk", None),
            kind=getattr(authenticator, "type", ""),
        )

    receiver.__name__ = f"log_{event.replace('.', '_')}"
    return receiver


def _audited(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        # After the service's transaction commits: an act rolled back was never done.
        transaction.on_commit(
            partial(
                security_event,
                f"audit.{instance.action}",
                # A confidential act (a mediation case's) is logged without who did it.
                actor_id=None if getattr(instance, "confidential", False) else instance.actor_id,
                object_type=instance.object_type,
                object_id=instance.object_id,
            )
        )


def _admin_action(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if created:
        transaction.on_commit(
            partial(
                security_event,
                "admin.action",
                user_id=instance.user_id,
                action=ADMIN_ACTIONS.get(instance.action_flag, str(instance.action_flag)),
                object_type=instance.content_type.model if instance.content_type else "",
                object_id=str(instance.object_id),
            )
        )


_RECEIVERS: list[Any] = []


def connect() -> None:
    """Connect every receiver (called once, from `PatioConfig.ready()`)."""
    auth_signals.user_logged_in.connect(_logged_in, dispatch_uid="patio-security-login")
    auth_signals.user_login_failed.connect(_login_failed, dispatch_uid="patio-security-failed")
    auth_signals.user_logged_out.connect(_logged_out, dispatch_uid="patio-security-logout")
    changes = {
        "password.changed": account_signals.password_changed,
        "password.set": account_signals.password_set,
        "password.reset": account_signals.password_reset,
        "email.added": account_signals.email_added,
        "email.changed": account_signals.email_changed,
        "email.removed": account_signals.email_removed,
    }
    for event, signal in changes.items():
        receiver = _account_change(event)
        _RECEIVERS.append(receiver)  # signals hold weak references
        signal.connect(receiver, dispatch_uid=f"patio-security-{event}")
    authenticators = {
        "mfa.added": mfa_signals.authenticator_added,
        "mfa.removed": mfa_signals.authenticator_removed,
        "mfa.reset": mfa_signals.authenticator_reset,
        "mfa.failed": mfa_signals.authentication_failed,
    }
    for event, signal in authenticators.items():
        receiver = _authenticator(event)
        _RECEIVERS.append(receiver)
        signal.connect(receiver, dispatch_uid=f"patio-security-{event}")
    # A lazy sender: the base layer does not import the audit app.
    post_save.connect(_audited, sender="audit.AuditEvent", dispatch_uid="patio-security-audit")
    post_save.connect(_admin_action, sender=LogEntry, dispatch_uid="patio-security-admin")
