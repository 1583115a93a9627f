from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """One page of QUERYSET, counted and sliced in the database."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
