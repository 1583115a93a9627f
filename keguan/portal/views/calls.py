"""The public site: no sign-in needed."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from keguan.accounts.models import Bureau
from keguan.core.pagination import paginate, query_without_page
from keguan.projects.models import Call


def index(request):
    bureau = Bureau.objects.filter(level=Bureau.Level.COUNTY).order_by("path").first()
    return render(request, "portal/index.html", {"bureau": bureau})


def _published_calls():
    """Calls the public may read: published ones, of every bureau (never drafts or
    cancelled calls)."""
    return Call.objects.filter(state=Call.State.PUBLISHED).select_related("program", "bureau")


def call_list(request):
    calls = _published_calls()
    q = request.GET.get("q", "").strip()[:100]
    if q:
        calls = calls.filter(Q(title__icontains=q) | Q(program__name__icontains=q))
    page = paginate(request, calls.order_by("-opens_at", "-pk"))
    now = timezone.now()
    for call in page:
        call.window = call.window_status(now)
    query = query_without_page(request)
    return render(request, "portal/call_list.html", {"page": page, "q": q, "query": query})


def call_detail(request, pk: int):
    call = _published_calls().filter(pk=pk).first()
    if call is None:
        raise Http404()
    return render(
        request, "portal/call_detail.html", {"call": call, "window": call.window_status()}
    )
