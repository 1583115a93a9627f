from django.urls import include, path

from keguan.api.api import api

urlpatterns = [
    path("", include("keguan.portal.urls")),
    path("home/", include("keguan.core.urls")),
    path("accounts/", include("keguan.accounts.urls")),
    path("audit/", include("keguan.audit.urls")),
    path("work/", include("keguan.projects.urls")),
    path("funds/", include("keguan.funds.urls")),
    path("review/", include("keguan.review.urls")),
    path("enterprises/", include("keguan.enterprises.urls")),
    path("party/", include("keguan.party.urls")),
    path("notifications/", include("keguan.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

# A database gone for a moment is a 503 "try again", not a 500 (keguan.core.middleware).
handler500 = "keguan.core.middleware.server_error"
