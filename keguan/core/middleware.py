"""The database gone for a moment (restarted, failed over) is said plainly: 503, try again.

Django's connection health checks reconnect at the next request once the database is back,
so the server itself needs no restart. Until then every page that needs the database answers
503 with a short page in the user's language, instead of a 500 and a traceback in the log.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults

log = logging.getLogger(__name__)

UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10


def database_unavailable(request) -> HttpResponse:
    """The 503 answer: JSON for the API, a page without anything read from the database
    (no menu, no user) for everyone else."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {"detail": _("The database is unavailable at the moment; try again shortly.")},
                status=503,
            )
        else:
            response = HttpResponse(
                render_to_string("503.html", {"LANGUAGE_CODE": language}), status=503
            )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Turn a view's lost database connection into a 503 (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, UNAVAILABLE):
            return None
        log.warning("database unavailable for %s %s: %s", request.method, request.path, exception)
        return database_unavailable(request)


def server_error(request):
    """handler500. A middleware that reads the database (the session, the user) fails
    before any view runs, out of the reach of `process_exception`: the database's loss is
    recognized here and answered as above; anything else is Django's 500 page."""
    exception = sys.exc_info()[1]
    if isinstance(exception, UNAVAILABLE):
        return database_unavailable(request)
    return defaults.server_error(request)
