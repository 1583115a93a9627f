"""Expert review: the pool, rounds and their draws, assignments and score sheets, decision
meetings and the rubric of a call, under /api/v1/review/.

The same predicates (`review.permissions`) and services as the web UI: every object is
fetched from the caller's scoped queryset (anything else is an audited 404), every change
goes through a service or a workflow's `apply`. Phone and ID numbers are masked except to
the pool's managers; an expert reaches only their own live assignments, and the application
itself only after signing the pledge.

One module an area; `router` gathers them, in the order of the OpenAPI document.
"""

from ninja import Router

from keguan.api.review import assignments, avoidances, experts, meetings, rounds

router = Router(tags=["review"])
for _area in (experts, rounds, assignments, meetings, avoidances):
    router.add_router("", _area.router)
