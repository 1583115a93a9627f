"""The service functions of expert review, one module per concept; views, the API, the CLI
and the tests call these (and the workflows in `review.workflow`)."""

from keguan.review.services.avoidances import replace_avoidances
from keguan.review.services.draws import (
    TooFewExperts,
    draw_round,
    redraw,
    supplement,
    verify_draw,
    verify_round,
    withdraw_assignment,
)
from keguan.review.services.experts import (
    EXPERT_FIELDS,
    create_expert,
    expert_penalties,
    record_expert_penalty,
    replace_fields,
    replace_relations,
    update_expert,
)
from keguan.review.services.meetings import (
    MEETING_FIELDS,
    create_meeting,
    decidable_applications,
    remove_decision,
    stage_decision,
    update_meeting,
)
from keguan.review.services.rounds import (
    ROUND_FIELDS,
    RUBRIC_FIELDS,
    create_round,
    eligible_applications,
    replace_rubric,
    set_entries,
    update_round,
)
from keguan.review.services.scoring import report_approach, save_sheet

__all__ = [
    "EXPERT_FIELDS",
    "MEETING_FIELDS",
    "ROUND_FIELDS",
    "RUBRIC_FIELDS",
    "TooFewExperts",
    "create_expert",
    "create_meeting",
    "create_round",
    "decidable_applications",
    "draw_round",
    "eligible_applications",
    "expert_penalties",
    "record_expert_penalty",
    "redraw",
    "remove_decision",
    "replace_avoidances",
    "replace_fields",
    "replace_relations",
    "replace_rubric",
    "report_approach",
    "save_sheet",
    "set_entries",
    "stage_decision",
    "supplement",
    "update_expert",
    "update_meeting",
    "update_round",
    "verify_draw",
    "verify_round",
    "withdraw_assignment",
]
