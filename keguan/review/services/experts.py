"""Keeping the expert pool: experts, their fields, declared relations and penalties."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from keguan.core.records import replace_rows, save_new, update_fields
from keguan.projects.models import IntegrityPenalty
from keguan.projects.services import record_integrity_penalty, validate_id_number
from keguan.review.models import Assignment, Expert, ExpertField, Relation, Round
from keguan.review.models.experts import MAX_KEYWORDS

EXPERT_FIELDS = ("name", "unit", "organization", "title", "phone", "id_number", "user")


def _checked(data: dict) -> dict:
    data = dict(data)
    if data.get("id_number"):
        data["id_number"] = validate_id_number(data["id_number"], "id_number")
    user = data.get("user")
    if user is not None and not user.has_role("expert"):
        raise ValidationError({"user": _("The account must hold the expert role.")})
    return data


def create_expert(user, data: dict) -> Expert:
    """An expert in the pool of the user's bureau (ID number checked, one entry per person)."""
    data = _checked(data)
    if Expert.objects.filter(bureau=user.bureau, id_number=data.get("id_number")).exists():
        raise ValidationError({"id_number": _("This person is already in the pool.")})
    expert = Expert(bureau=user.bureau)
    for name in EXPERT_FIELDS:
        if name in data:
            setattr(expert, name, data[name])
    save_new(expert, "review.expert.create", EXPERT_FIELDS)
    return expert


def _account_refusal(data: dict):
    """The account may change only while the expert holds no review: the pledge and the
    scores belong to the person who signed in."""

    def refusal(fresh: Expert) -> str | None:
        new = data.get("user")
        if "user" not in data or getattr(new, "pk", None) == fresh.user_id:
            return None
        holding = Assignment.objects.filter(
            expert=fresh,
            state__in=(Assignment.State.RESERVE, *Assignment.LIVE_STATES),
            round__state__in=Round.OPEN_STATES,
        )
        if holding.exists():
            return _("The expert is drawn in a review under way; the account cannot change now.")
        return None

    return refusal


def update_expert(user, expert: Expert, data: dict, expected_version: str | None = None) -> Expert:
    """Change the expert's record. EXPECTED_VERSION: see keguan.core.records.update_fields."""
    data = _checked(data)
    clash = Expert.objects.filter(bureau=expert.bureau, id_number=data.get("id_number"))
    if data.get("id_number") and clash.exclude(pk=expert.pk).exists():
        raise ValidationError({"id_number": _("This person is already in the pool.")})
    return update_fields(
        expert,
        "review.expert.update",
        EXPERT_FIELDS,
        data,
        refusal=_account_refusal(data),
        expected_version=expected_version,
    )


def _keywords(value) -> list[str]:
    if isinstance(value, str):
        value = value.replace("，", ",").replace("、", ",").replace(";", ",").split(",")
    return [word.strip() for word in value or [] if word and word.strip()]


def replace_fields(user, expert: Expert, items: list[dict]) -> list[ExpertField]:
    """The expert's disciplines, each with at most five keywords."""
    rows, errors = [], {}
    for index, item in enumerate(items, start=1):
        words = _keywords(item.get("keywords"))
        row = ExpertField(
            expert=expert,
            discipline_code=(item.get("discipline_code") or "").strip(),
            keywords=words,
        )
        try:
            row.full_clean(exclude=["expert"])
        except ValidationError as exc:
            errors[f"fields.{index}"] = exc.messages
        if len(words) > MAX_KEYWORDS:
            errors[f"fields.{index}"] = [
                _("At most %(max)d keywords per field.") % {"max": MAX_KEYWORDS}
            ]
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    return replace_rows(
        expert,
        "fields",
        ExpertField,
        rows,
        "review.expert.fields",
        "fields",
        lambda row: (row.discipline_code, row.keywords),
    )


def replace_relations(user, expert: Expert, items: list[dict]) -> list[Relation]:
    """The relations the expert declared (relatives, former employers, units advised)."""
    rows, errors = [], {}
    for index, item in enumerate(items, start=1):
        row = Relation(
            expert=expert,
            kind=item.get("kind") or "",
            name=(item.get("name") or "").strip(),
            id_number=(item.get("id_number") or "").strip(),
            note=(item.get("note") or "").strip(),
        )
        try:
            if row.id_number:
                row.id_number = validate_id_number(row.id_number, "id_number")
            row.full_clean(exclude=["expert"])
        except ValidationError as exc:
            errors[f"relations.{index}"] = exc.messages
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    return replace_rows(
        expert,
        "relations",
        Relation,
        rows,
        "review.expert.relations",
        "relations",
        lambda row: (row.kind, row.name),
    )


def record_expert_penalty(user, expert: Expert, data: dict) -> IntegrityPenalty:
    """An integrity penalty on the expert: one integrity record for everyone, by ID number;
    while it runs the expert is never drawn."""
    return record_integrity_penalty(
        user, {**data, "person_name": expert.name, "id_number": expert.id_number}
    )


def expert_penalties(expert: Expert):
    return IntegrityPenalty.objects.filter(id_number=expert.id_number)
