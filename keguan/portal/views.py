"""The public site: no sign-in needed."""

from django.shortcuts import render

from keguan.accounts.models import Bureau


def index(request):
    bureau = Bureau.objects.filter(level=Bureau.Level.COUNTY).order_by("path").first()
    return render(request, "portal/index.html", {"bureau": bureau})
