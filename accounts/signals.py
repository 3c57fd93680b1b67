"""What the accounts app does when allauth reports a change to someone's sign-in."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.account.signals import email_added
from django.dispatch import receiver
from django.http import HttpRequest


@receiver(email_added, dispatch_uid="accounts-tell-the-old-address")
def tell_the_addresses_already_there(
    sender: type[EmailAddress],
    request: HttpRequest,
    user: Any,
    email_address: EmailAddress,
    **kwargs: Any,
) -> None:
    """Someone who took over a session could add their own address, then reset the password
    through it: the owner hears of it at the address they already had."""
    adapter = get_adapter(request)
    others = EmailAddress.objects.filter(user=user, verified=True).exclude(pk=email_address.pk)
    for address in others.values_list("email", flat=True):
        adapter.send_notification_mail(
            "account/email/email_added", user, {"added_email": email_address.email}, email=address
        )
