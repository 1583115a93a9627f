from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """One page of QUERYSET, counted and sliced in the database."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The list's filters as a query string, for export links and the pager to keep."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def list_template(request, template: str) -> str:
    """The whole page, or only its `results` partial when htmx refreshes the list."""
    return f"{template}#results" if request.headers.get("HX-Request") else template
