"""Creating and changing programs, calls, candidates, applications and projects.

State changes are not here: they go through the workflows in `projects.workflow`. These
functions validate fully (raising ValidationError keyed by field), make their change on
the row locked and read afresh inside `audit.writing()`, and record one event per change.
One module per concept; everything is reachable as `projects.services.<name>`.
"""

from keguan.projects.services.applications import (
    APPLICATION_FIELDS,
    record_integrity_penalty,
    replace_budget,
    replace_team,
    start_application,
    submit_application,
    update_application,
    validate_id_number,
)
from keguan.projects.services.calls import (
    CALL_FIELDS,
    PROGRAM_FIELDS,
    PUBLISHED_CALL_FIELDS,
    backdate_call_for_import,
    create_call,
    create_program,
    update_call,
    update_program,
)
from keguan.projects.services.candidates import (
    CANDIDATE_FIELDS,
    add_follow_up,
    create_candidate,
    open_calls_for,
    ready_candidates_for,
    update_candidate,
)
from keguan.projects.services.projects import (
    TASK_BOOK_FIELDS,
    due_milestones,
    record_midterm_check,
    submit_progress_report,
    update_task_book,
)

__all__ = [
    "APPLICATION_FIELDS",
    "CALL_FIELDS",
    "CANDIDATE_FIELDS",
    "PROGRAM_FIELDS",
    "PUBLISHED_CALL_FIELDS",
    "TASK_BOOK_FIELDS",
    "add_follow_up",
    "backdate_call_for_import",
    "create_call",
    "create_candidate",
    "create_program",
    "due_milestones",
    "open_calls_for",
    "ready_candidates_for",
    "record_integrity_penalty",
    "record_midterm_check",
    "replace_budget",
    "replace_team",
    "start_application",
    "submit_application",
    "submit_progress_report",
    "update_application",
    "update_call",
    "update_candidate",
    "update_program",
    "update_task_book",
    "validate_id_number",
]
