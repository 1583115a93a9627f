"""Expert review pages, under /review/."""

from django.urls import path

from keguan.review.views import assignments, draws, experts, index, meetings, rounds

app_name = "review"
urlpatterns = [
    path("", index.index, name="index"),
    path("experts/", experts.expert_list, name="expert_list"),
    path("experts/new/", experts.expert_create, name="expert_create"),
    path("experts/<int:pk>/", experts.expert_detail, name="expert_detail"),
    path("experts/<int:pk>/edit/", experts.expert_edit, name="expert_edit"),
    path("experts/<int:pk>/fields/", experts.expert_fields, name="expert_fields"),
    path("experts/<int:pk>/relations/", experts.expert_relations, name="expert_relations"),
    path("experts/<int:pk>/penalty/", experts.expert_penalty, name="expert_penalty"),
    path("experts/<int:pk>/action/", experts.expert_action, name="expert_action"),
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_create, name="round_create"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", rounds.round_edit, name="round_edit"),
    path("rounds/<int:pk>/entries/", rounds.round_entries, name="round_entries"),
    path("rounds/<int:pk>/action/", rounds.round_action, name="round_action"),
    path("calls/<int:call_pk>/rubric/", rounds.rubric_edit, name="rubric_edit"),
    path("rounds/<int:pk>/draw/", draws.round_draw, name="round_draw"),
    path("rounds/<int:pk>/draws/", draws.draw_log, name="draw_log"),
    path("rounds/<int:pk>/applications/<int:application_pk>/redraw/", draws.redraw, name="redraw"),
    path(
        "rounds/<int:pk>/applications/<int:application_pk>/supplement/",
        draws.supplement,
        name="supplement",
    ),
    path("assignments/<int:pk>/withdraw/", draws.assignment_withdraw, name="assignment_withdraw"),
    path("rounds/<int:pk>/ranking/", draws.ranking, name="ranking"),
    path("rounds/<int:pk>/ranking.xlsx", draws.ranking_export, name="ranking_export"),
    path("rounds/<int:pk>/verify/", draws.round_verify, name="round_verify"),
    path("approaches/", draws.approach_reports, name="approach_reports"),
    path("mine/", assignments.my_reviews, name="my_reviews"),
    path("assignments/<int:pk>/", assignments.assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/action/", assignments.assignment_action, name="assignment_action"),
    path("assignments/<int:pk>/scores/", assignments.assignment_scores, name="assignment_scores"),
    path(
        "assignments/<int:pk>/approach/",
        assignments.assignment_approach,
        name="assignment_approach",
    ),
    path(
        "assignments/<int:pk>/attachments/<int:attachment_pk>/",
        assignments.assignment_attachment,
        name="assignment_attachment",
    ),
    path("applications/<int:pk>/avoid/", assignments.avoidances, name="avoidances"),
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/decisions/", meetings.decision_stage, name="decision_stage"),
    path("decisions/<int:pk>/remove/", meetings.decision_remove, name="decision_remove"),
    path("meetings/<int:pk>/action/", meetings.meeting_action, name="meeting_action"),
]
