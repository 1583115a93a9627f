"""What the review API modules share: scores out as strings, and objects named by id in
a request body looked up within the caller's scope."""

from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import BeforeValidator

from keguan.api.projects.common import invalid


def two_places(value):
    """A Decimal score or total as a string with two decimals, e.g. "87.50"."""
    if value is None or isinstance(value, str):
        return value
    return str(Decimal(value).quantize(Decimal("0.01")))


# Scores, totals and means out as strings, so no client rounds them through a float.
Score = Annotated[str, BeforeValidator(two_places)]


def all_of(queryset, pks: list[int], field: str) -> list:
    """The objects of QUERYSET with PKS, in that order; a ValidationError naming FIELD when
    any of them is not there (unknown, or outside the caller's scope)."""
    wanted = list(dict.fromkeys(pks))
    found = queryset.in_bulk(wanted)
    if len(found) != len(wanted):
        raise invalid(field, _("Choose among the records offered."))
    return [found[pk] for pk in wanted]
