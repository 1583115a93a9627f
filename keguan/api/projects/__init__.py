"""Programs, calls, the reserve pool, applications, projects, disbursements and attachments.

The same predicates (`projects.permissions`) and services as the web UI: every object is
fetched from the caller's `visible_*` queryset (anything else is an audited 404), every change
goes through a service or a workflow's `apply`. Money is a string of Decimal yuan; team ID
numbers are always masked.

One module an area; `router` gathers them, in the order of the OpenAPI document.
"""

from ninja import Router

from keguan.api.projects import applications, attachments, calls, projects, statistics

router = Router(tags=["projects"])
for _area in (calls, applications, projects, attachments, statistics):
    router.add_router("", _area.router)
