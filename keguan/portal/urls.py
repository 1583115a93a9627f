from django.urls import path

from keguan.portal.views import calls, disclosure, notice_admin, notices, petitions

app_name = "portal"

urlpatterns = [
    path("", calls.index, name="index"),
    path("calls/", calls.call_list, name="call_list"),
    path("calls/<int:pk>/", calls.call_detail, name="call_detail"),
    path("notices/", notices.notice_list, name="notice_list"),
    path("notices/feed.atom", notices.notice_feed, name="notice_feed"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/print/", notices.notice_print, name="notice_print"),
    path("notices/<int:pk>/object/", notices.objection_create, name="objection_create"),
    path("manage/notices/", notice_admin.notice_admin_list, name="notice_admin_list"),
    path("manage/notices/new/", notice_admin.notice_create, name="notice_create"),
    path(
        "manage/notices/from-applications/",
        notice_admin.notice_from_applications,
        name="notice_from_applications",
    ),
    path("manage/notices/<int:pk>/", notice_admin.notice_admin_detail, name="notice_admin_detail"),
    path("manage/notices/<int:pk>/edit/", notice_admin.notice_edit, name="notice_edit"),
    path("manage/notices/<int:pk>/items/", notice_admin.notice_items, name="notice_items"),
    path("manage/notices/<int:pk>/action/", notice_admin.notice_action, name="notice_action"),
    path("manage/objections/", notice_admin.objection_list, name="objection_list"),
    path("manage/objections/<int:pk>/", notice_admin.objection_detail, name="objection_detail"),
    path(
        "manage/objections/<int:pk>/action/", notice_admin.objection_action, name="objection_action"
    ),
    path(
        "manage/objections/<int:pk>/identity/",
        notice_admin.objection_identity,
        name="objection_identity",
    ),
    path(
        "manage/objections/<int:pk>/letter/", notice_admin.objection_letter, name="objection_letter"
    ),
    path("petitions/new/", petitions.petition_create, name="petition_create"),
    path("petitions/track/", petitions.petition_track, name="petition_track"),
    path("manage/petitions/", petitions.petition_list, name="petition_list"),
    path("manage/petitions/<int:pk>/", petitions.petition_detail, name="petition_detail"),
    path("manage/petitions/<int:pk>/action/", petitions.petition_action, name="petition_action"),
    path("manage/petitions/<int:pk>/assign/", petitions.petition_assign, name="petition_assign"),
    path("manage/petitions/<int:pk>/extend/", petitions.petition_extend, name="petition_extend"),
    path("disclosure/", disclosure.disclosure_index, name="disclosure_index"),
    path("disclosure/<int:year>/", disclosure.disclosure_year, name="disclosure_year"),
]
