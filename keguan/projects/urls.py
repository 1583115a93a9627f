from django.urls import path

from keguan.projects.views import (
    applications,
    attachments,
    calls,
    candidates,
    documents,
    integrity,
    projects,
    statistics,
)

app_name = "projects"

urlpatterns = [
    path("programs/", calls.program_list, name="program_list"),
    path("programs/new/", calls.program_create, name="program_create"),
    path("programs/<int:pk>/edit/", calls.program_edit, name="program_edit"),
    path("calls/", calls.call_list, name="call_list"),
    path("calls/new/", calls.call_create, name="call_create"),
    path("calls/<int:pk>/", calls.call_detail, name="call_detail"),
    path("calls/<int:pk>/edit/", calls.call_edit, name="call_edit"),
    path("calls/<int:pk>/actions/<slug:action>/", calls.call_action, name="call_action"),
    path("calls/<int:pk>/apply/", applications.application_start, name="application_start"),
    path("candidates/", candidates.candidate_list, name="candidate_list"),
    path("candidates/new/", candidates.candidate_create, name="candidate_create"),
    path("candidates/<int:pk>/", candidates.candidate_detail, name="candidate_detail"),
    path("candidates/<int:pk>/edit/", candidates.candidate_edit, name="candidate_edit"),
    path(
        "candidates/<int:pk>/actions/<slug:action>/",
        candidates.candidate_action,
        name="candidate_action",
    ),
    path(
        "candidates/<int:pk>/follow-ups/",
        candidates.candidate_follow_up,
        name="candidate_follow_up",
    ),
    path("statistics/", statistics.statistics, name="statistics"),
    path("statistics.xlsx", statistics.statistics_export, name="statistics_export"),
    path("integrity/", integrity.integrity_list, name="integrity_list"),
    path("integrity/new/", integrity.integrity_create, name="integrity_create"),
    path("applications/", applications.application_list, name="application_list"),
    path("applications/export/", applications.application_export, name="application_export"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", applications.application_edit, name="application_edit"),
    path(
        "applications/<int:pk>/actions/<slug:action>/",
        applications.application_action,
        name="application_action",
    ),
    path(
        "applications/<int:pk>/attachments/",
        applications.application_attachment_upload,
        name="application_attachment_upload",
    ),
    path(
        "applications/<int:pk>/letter.docx",
        documents.recommendation_letter,
        name="recommendation_letter",
    ),
    path(
        "attachments/<int:pk>/download/",
        attachments.attachment_download,
        name="attachment_download",
    ),
    path("projects/", projects.project_list, name="project_list"),
    path("projects/export/", projects.project_export, name="project_export"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/task-book/", projects.project_task_book, name="project_task_book"),
    path(
        "projects/<int:pk>/actions/<slug:action>/",
        projects.project_action,
        name="project_action",
    ),
    path("projects/<int:pk>/midterm/", projects.project_midterm, name="project_midterm"),
    path("projects/<int:pk>/reports/new/", projects.project_report, name="project_report"),
    path(
        "projects/<int:pk>/attachments/",
        projects.project_attachment_upload,
        name="project_attachment_upload",
    ),
    path(
        "projects/<int:pk>/disbursements/new/",
        projects.disbursement_create,
        name="disbursement_create",
    ),
]
