"""The review section's entry: the first page of it this user may open."""

from django.shortcuts import redirect

from keguan.core.access import deny, require, signed_in
from keguan.review import permissions as can


@require(signed_in)
def index(request):
    user = request.user
    if can.can_list_rounds(user):
        return redirect("review:round_list")
    if can.is_expert(user):
        return redirect("review:my_reviews")
    raise deny(request, "view:review.index")


def can_enter(user) -> bool:
    return can.can_list_rounds(user) or can.is_expert(user)
