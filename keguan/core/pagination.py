from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

PAGE_SIZE = 25


# Past this many rows a list says "more than" instead of counting on: nobody pages through
# ten thousand rows, and counting every application of a province costs a scan per page.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A paginator that counts at most COUNT_CAP + 1 rows (`capped` says it stopped)."""

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return super().count
        # Only the ids, in no order: the count needs neither the columns nor the sums.
        return self.object_list.order_by().values("pk")[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """One page of QUERYSET, counted (up to COUNT_CAP) and sliced in the database."""
    return CappedPaginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The list's filters as a query string, for export links and the pager to keep."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def list_template(request, template: str) -> str:
    """The whole page, or only its `results` partial when htmx refreshes the list."""
    return f"{template}#results" if request.headers.get("HX-Request") else template
