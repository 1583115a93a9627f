"""Disclosure (政务公开): a public page per year, generated from the records."""

from django.http import Http404
from django.shortcuts import render

from keguan.portal import disclosure


def disclosure_index(request):
    bureau = disclosure.county_bureau()
    years = disclosure.disclosure_years(bureau)
    return render(request, "portal/disclosure_index.html", {"bureau": bureau, "years": years})


def disclosure_year(request, year: int):
    report = disclosure.year_report(year)
    if report is None:
        raise Http404()
    return render(request, "portal/disclosure_year.html", report)
