from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from notifications import services
from notifications.selectors import notifications_for
from patio.emails import kind_named
from patio.http import safe_next

PAGE_SIZE = 25


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The reader's notifications, newest first, the unread ones marked."""
    page = Paginator(notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for notification in page:
        kind = kind_named(notification.kind)
        notification.kind_label = kind.label if kind else notification.kind  # type: ignore[attr-defined]
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    # Another person's notification, or one that does not exist: the same 404.
    notification = get_object_or_404(notifications_for(request.user), pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    return redirect(safe_next(request, reverse("notifications:list")))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(actor=request.user)
    return redirect(safe_next(request, reverse("notifications:list")))
