"""The public portal under /api/v1/portal/: public notices, objections to them, petitions.

The public part (`public`) needs no token: published notices and their items (a person's
name only on notices of kinds that name people), an objection during a notice's period,
a petition filed and then tracked by its code. Every public form is limited per address
(429 past the limit), as on the web.

The staff part (`/portal/manage/...`, token) uses the same predicates
(`portal.permissions`) and services as the web UI: every object is fetched from the
caller's scoped queryset (anything else is an audited 404), every change goes through a
service or a workflow's `apply`. An objector's identity is never in an objection's schema:
the inspector and the handling officer ask for it, and each time is an audit event.
"""

from ninja import Router

from keguan.api.portal import notices, objections, petitions, public

router = Router(tags=["portal"])
router.add_router("", public.router)
manage = Router()
for _area in (notices, objections, petitions):
    manage.add_router("", _area.router)
router.add_router("/manage", manage)
