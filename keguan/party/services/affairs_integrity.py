"""Clean government (党风廉政建设): responsibility letters with their items and checkpoints,
education activities with attendance, declarations of interest."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from keguan.core.records import replace_rows, save_new, update_fields
from keguan.party.models import (
    Checkpoint,
    EducationActivity,
    EducationAttendance,
    InterestDeclaration,
    LetterItem,
    Member,
    ResponsibilityLetter,
)
from keguan.party.permissions import branch_of

LETTER_FIELDS = ("year", "holder", "post", "signed_on", "note")
CHECKPOINT_FIELDS = ("item", "checked_on", "kind", "result", "note")
ACTIVITY_FIELDS = ("held_on", "kind", "title", "place", "note")
DECLARATION_FIELDS = (
    "relative_name",
    "relation",
    "organization",
    "position",
    "starts_on",
    "ends_on",
)


TEXTS = frozenset({"note", "place", "position"})


def _fill(obj, fields, data: dict) -> None:
    """Set FIELDS of OBJ from DATA, a missing text as an empty one."""
    for name in fields:
        if name in data:
            value = data[name]
            setattr(obj, name, "" if value is None and name in TEXTS else value)


def _branch(user):
    branch = branch_of(user)
    if branch is None:
        raise ValidationError(_("Your bureau has no Party branch."))
    return branch


def _check_letter(letter: ResponsibilityLetter, before=None) -> None:
    if letter.holder_id and letter.holder.bureau_id != letter.branch.bureau_id:
        raise ValidationError({"holder": [_("Choose someone working in the bureau.")]})
    clash = ResponsibilityLetter.objects.filter(
        branch_id=letter.branch_id, year=letter.year, holder_id=letter.holder_id
    ).exclude(pk=letter.pk)
    if clash.exists():
        raise ValidationError({"holder": [_("This person has a letter for that year already.")]})


def create_letter(user, data: dict, items: list[str] = ()) -> ResponsibilityLetter:
    """A letter of the user's branch for one holder and year, with its items (duties)."""
    letter = ResponsibilityLetter(branch=_branch(user))
    _fill(letter, LETTER_FIELDS, data)
    _check_letter(letter)
    with transaction.atomic():
        save_new(letter, "party.letter.create", LETTER_FIELDS)
        if items:
            replace_letter_items(user, letter, items)
    return letter


def update_letter(user, letter: ResponsibilityLetter, data: dict) -> ResponsibilityLetter:
    return update_fields(letter, "party.letter.update", LETTER_FIELDS, data, check=_check_letter)


def _checked_refusal(letter: ResponsibilityLetter) -> str | None:
    if Checkpoint.objects.filter(item__letter=letter).exists():
        return _("Its items have checkpoints recorded; they can no longer be replaced.")
    return None


def replace_letter_items(user, letter: ResponsibilityLetter, texts) -> list[LetterItem]:
    """The letter's duties, one a line, while no checkpoint is recorded against them."""
    texts = [t.strip() for t in texts if t and t.strip()]
    rows = [LetterItem(letter=letter, text=t, position=i) for i, t in enumerate(texts, 1)]
    for row in rows:
        row.full_clean(exclude=["letter"])
    return replace_rows(
        letter,
        "items",
        LetterItem,
        rows,
        "party.letter.items",
        "items",
        lambda row: row.text,
        _checked_refusal,
    )


def record_checkpoint(user, data: dict) -> Checkpoint:
    """Progress on, or the check of, one item of a letter (`party.letter.checkpoint`)."""
    checkpoint = Checkpoint(recorded_by=user)
    _fill(checkpoint, CHECKPOINT_FIELDS, data)
    save_new(checkpoint, "party.letter.checkpoint", CHECKPOINT_FIELDS)
    return checkpoint


def create_activity(user, data: dict, members=()) -> EducationActivity:
    """An education activity of the user's branch, with who attended."""
    activity = EducationActivity(branch=_branch(user))
    _fill(activity, ACTIVITY_FIELDS, data)
    with transaction.atomic():
        save_new(activity, "party.education.create", ACTIVITY_FIELDS)
        set_attendance(user, activity, members)
    return activity


def update_activity(user, activity: EducationActivity, data: dict) -> EducationActivity:
    return update_fields(activity, "party.education.update", ACTIVITY_FIELDS, data)


def set_attendance(user, activity: EducationActivity, members) -> list[EducationAttendance]:
    """Who attended: members of the activity's branch (`party.education.attendance`)."""
    members = list(members)
    if any(m.branch_id != activity.branch_id for m in members):
        raise ValidationError({"members": [_("Choose members of the branch.")]})
    rows = [EducationAttendance(activity=activity, member=m) for m in members]
    return replace_rows(
        activity,
        "attendance",
        EducationAttendance,
        rows,
        "party.education.attendance",
        "members",
        lambda row: row.member_id,
    )


def _check_declaration(declaration: InterestDeclaration, before=None) -> None:
    if (
        declaration.ends_on
        and declaration.starts_on
        and declaration.ends_on < declaration.starts_on
    ):
        raise ValidationError({"ends_on": [_("The end comes before the start.")]})


def declare_interest(user, data: dict) -> InterestDeclaration:
    """The user's own declaration: a relative working in an organization."""
    declaration = InterestDeclaration(declarant=user)
    _fill(declaration, DECLARATION_FIELDS, data)
    _check_declaration(declaration)
    save_new(declaration, "party.declaration.create", DECLARATION_FIELDS)
    return declaration


def update_declaration(user, declaration: InterestDeclaration, data: dict):
    """Change one's declaration (e.g. give the day the relative left)."""
    return update_fields(
        declaration,
        "party.declaration.update",
        DECLARATION_FIELDS,
        data,
        check=_check_declaration,
    )


def declared_interests(user_ids, on: dt.date) -> dict[int, list[tuple[int, str]]]:
    """{user id: [(organization id, organization name)]} of the declarations of USER_IDS in
    force on ON, in one query (the review draw's conflict rules read it)."""
    found: dict[int, list[tuple[int, str]]] = {}
    rows = (
        InterestDeclaration.objects.filter(declarant_id__in=[u for u in user_ids if u])
        .filter(starts_on__lte=on)
        .exclude(ends_on__lt=on)
        .values_list("declarant_id", "organization_id", "organization__name")
    )
    for user_id, organization_id, name in rows:
        found.setdefault(user_id, []).append((organization_id, name))
    return found


def branch_attendees(branch):
    return Member.objects.active().filter(branch=branch).order_by("name", "pk")
