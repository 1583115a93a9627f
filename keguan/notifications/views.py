"""The user's notifications, and their deadlines as a calendar feed to subscribe to."""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from icalendar import Calendar, Event

from keguan.accounts.models import User
from keguan.core.access import require, signed_in
from keguan.core.pagination import paginate
from keguan.notifications import services
from keguan.notifications.models import Notification
from keguan.projects import deadlines

# A calendar app cannot sign in: the feed's URL carries the user's id, signed with the
# site's secret under this salt, so it can be neither guessed nor altered.
FEED_SALT = "keguan.notifications.calendar-feed"


@require(signed_in)
def notification_list(request):
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    notifications = (
        Notification.objects.filter(user=request.user)
        .annotate(unread=unread)
        .order_by("-unread", "-created_at", "-pk")
    )
    return render(
        request,
        "notifications/notification_list.html",
        {"page": paginate(request, notifications)},
    )


@require(signed_in)
@require_POST
def notification_read(request):
    """Mark one notification read (and open its page when asked), or all of them."""
    raw_id = request.POST.get("id")
    if raw_id is None:
        services.mark_read(request.user)
        return redirect("notifications:notification_list")
    if not raw_id.isdigit():
        raise Http404()
    notification = Notification.objects.filter(user=request.user, pk=int(raw_id)).first()
    if notification is None:
        raise Http404()
    services.mark_read(request.user, [notification.pk])
    if "open" in request.POST and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notifications:notification_list")


def _password_key(user) -> str:
    """Changes whenever the password does: changing it withdraws every old feed address,
    the way Django's password-reset links expire."""
    return salted_hmac(FEED_SALT, user.password, algorithm="sha256").hexdigest()[:16]


def feed_token(user) -> str:
    return signing.dumps([user.pk, _password_key(user)], salt=FEED_SALT)


def _feed_user(token: str):
    try:
        pk, key = signing.loads(token, salt=FEED_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(pk, int):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not constant_time_compare(key, _password_key(user)):
        return None
    return user


@require(signed_in)
def calendar(request):
    path = reverse("notifications:calendar_feed", args=[feed_token(request.user)])
    feed_url = f"{settings.KEGUAN_SITE_URL}{path}"
    return render(
        request,
        "notifications/calendar.html",
        {
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[-1],
            "deadlines": deadlines.for_user(request.user),
        },
    )


def _event(item: dict, stamp: dt.datetime) -> Event:
    event = Event()
    host = settings.KEGUAN_SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    link = f"{settings.KEGUAN_SITE_URL}{item['url']}"
    event.add("uid", f"{item['uid']}@{host}")
    event.add("dtstamp", stamp)
    event.add("summary", item["title"])
    start = item["start"]
    if isinstance(start, dt.datetime):
        event.add("dtstart", start.astimezone(dt.UTC))
    else:
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(days=1))
    event.add("url", link)
    event.add("description", "\n".join(filter(None, [item["description"], link])))
    return event


@require_safe
def calendar_feed(request, token: str):
    """The user's deadlines as iCalendar, for a calendar app that fetches it unattended.

    No session: the signed token names the user. A bad token or a disabled account is
    told nothing but 404.
    """
    user = _feed_user(token)
    if user is None:
        raise Http404()
    with translation.override(settings.LANGUAGE_CODE):
        feed = Calendar()
        feed.add("prodid", "-//keguan//deadlines//")
        feed.add("version", "2.0")
        feed.add("x-wr-calname", _("keguan deadlines"))
        stamp = timezone.now().astimezone(dt.UTC)
        for item in deadlines.for_user(user):
            feed.add_component(_event(item, stamp))
    response = HttpResponse(feed.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
