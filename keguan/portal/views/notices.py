"""The public notices (公示): list, detail, printable page, Atom feed and the objection
form. No sign-in needed; drafts and withdrawn notices do not exist here (404), and no page
shows a phone or ID number, nor a person's name unless the notice's kind names people."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from keguan.core.forms import apply_errors
from keguan.core.pagination import paginate, query_without_page
from keguan.portal import services
from keguan.portal.forms.public import NoticeFilterForm, ObjectionForm
from keguan.portal.models import KINDS_NAMING_PEOPLE, Notice

FEED_ENTRIES = 50


def _public_notices():
    return Notice.objects.public().select_related("bureau")


def _public_notice(pk: int) -> Notice:
    notice = _public_notices().filter(pk=pk).first()
    if notice is None:
        raise Http404()
    return notice


def _phase(notice: Notice, today) -> str:
    """Where the period stands today: open (objections are taken from publication) or over
    (a running notice past its end stays RUNNING until the hourly task ends it, yet takes no
    more objections)."""
    if notice.state != Notice.State.RUNNING or notice.ends_on is None or today > notice.ends_on:
        return "over"
    return "open"


@require_GET
def notice_list(request):
    notices = _public_notices()
    form = NoticeFilterForm(request.GET or None)
    today = timezone.localdate()
    if form.is_bound and form.is_valid():
        if form.cleaned_data["kind"]:
            notices = notices.filter(kind=form.cleaned_data["kind"])
        period = form.cleaned_data["period"]
        if period == NoticeFilterForm.RUNNING:
            notices = notices.filter(state=Notice.State.RUNNING, ends_on__gte=today)
        elif period == NoticeFilterForm.ENDED:
            notices = notices.exclude(state=Notice.State.RUNNING, ends_on__gte=today)
    page = paginate(request, notices.order_by("-published_at", "-pk"))
    for notice in page:
        notice.phase = _phase(notice, today)
    return render(
        request,
        "portal/notice_list.html",
        {"page": page, "form": form, "query": query_without_page(request)},
    )


def _detail_context(notice: Notice) -> dict:
    notice.phase = _phase(notice, timezone.localdate())
    return {
        "notice": notice,
        "items": list(notice.items.all()),
        "names_people": notice.kind in KINDS_NAMING_PEOPLE,
        "refusal": services.objection_refusal(notice),
    }


@require_GET
def notice_detail(request, pk: int):
    notice = _public_notice(pk)
    return render(request, "portal/notice_detail.html", _detail_context(notice))


@require_GET
def notice_print(request, pk: int):
    notice = _public_notice(pk)
    context = _detail_context(notice)
    context["printed_at"] = timezone.localtime()
    return render(request, "portal/notice_print.html", context)


def _period_text(notice: Notice) -> str:
    if notice.starts_on is None or notice.ends_on is None:
        return ""
    return _("Objection period: %(start)s to %(end)s (%(days)d working days)") % {
        "start": notice.starts_on.isoformat(),
        "end": notice.ends_on.isoformat(),
        "days": notice.working_days,
    }


@require_GET
def notice_feed(request):
    """The newest public notices as Atom. Each entry carries the title, kind, bureau,
    period and the notice's text, never its items (so no person's name in any kind)."""
    feed = Atom1Feed(
        title=_("Public notices"),
        link=request.build_absolute_uri(reverse("portal:notice_list")),
        description=_("Public notices with their objection periods."),
        language=get_language() or settings.LANGUAGE_CODE,
        feed_url=request.build_absolute_uri(reverse("portal:notice_feed")),
    )
    notices = _public_notices().order_by("-published_at", "-pk")[:FEED_ENTRIES]
    for notice in notices:
        link = request.build_absolute_uri(reverse("portal:notice_detail", args=[notice.pk]))
        summary = " · ".join(
            part
            for part in (notice.get_kind_display(), notice.bureau.name, _period_text(notice))
            if part
        )
        if notice.body:
            summary += "\n\n" + Truncator(notice.body).chars(500)
        feed.add_item(
            title=notice.title,
            link=link,
            description=summary,
            unique_id=link,
            pubdate=notice.published_at,
            updateddate=notice.ended_at or notice.published_at,
            author_name=notice.bureau.name,
            categories=[str(notice.get_kind_display())],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


def _client_address(request) -> str | None:
    return getattr(request, "client_address", None) or request.META.get("REMOTE_ADDR")


@require_http_methods(["GET", "POST"])
def objection_create(request, pk: int):
    """The objection form. Every POST counts against the address's hourly limit (429 past
    it); the honeypot, the letter's checks and the service's refusals show as form errors;
    success shows only that the objection was received."""
    notice = _public_notice(pk)
    refusal = services.objection_refusal(notice)
    if request.method == "POST":
        if not services.allow("objection", _client_address(request)):
            return render(request, "portal/rate_limited.html", {"notice": notice}, status=429)
        form = ObjectionForm(request.POST, request.FILES, notice=notice)
        if form.is_valid():
            try:
                services.submit_objection(
                    notice, form.service_data(), letter=form.cleaned_data.get("letter")
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return render(request, "portal/objection_done.html", {"notice": notice})
        refusal = services.objection_refusal(notice)
    else:
        form = ObjectionForm(notice=notice)
    return render(
        request,
        "portal/objection_form.html",
        {"notice": notice, "form": form, "refusal": refusal},
    )
