"""Statistics of the caller's jurisdiction per program level and year."""

from django.utils.translation import gettext as _
from ninja import Router, Schema

from keguan.api.errors import ApiError
from keguan.api.projects.common import Yuan
from keguan.projects import permissions
from keguan.projects.statistics import by_level_and_year

router = Router()


class StatisticsRowOut(Schema):
    year: int
    level: str
    submitted: int
    approved: int
    projects: int
    approved_amount: Yuan
    disbursed: Yuan


@router.get(
    "/statistics",
    response=list[StatisticsRowOut],
    summary="Applications, approvals and money per level and year (the whole jurisdiction)",
)
def statistics(request, first_year: int | None = None, last_year: int | None = None):
    if not permissions.can_read_statistics(request.auth):
        raise ApiError(403, "forbidden", _("Statistics are for the bureau's people."))
    years = None
    if first_year or last_year:
        years = (first_year or 1900, last_year or 9999)
    return by_level_and_year(request.auth, years).rows
