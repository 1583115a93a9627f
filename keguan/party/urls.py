"""The party branch's pages under /party/: one list of routes per area."""

from keguan.party.views import affairs, evaluation, meetings, members, study, summary

app_name = "party"
urlpatterns = [
    *members.urlpatterns,
    *study.urlpatterns,
    *meetings.urlpatterns,
    *evaluation.urlpatterns,
    *affairs.urlpatterns,
    *summary.urlpatterns,
]
