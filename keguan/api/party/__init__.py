"""The Party branch under /api/v1/party/: members and dues, study, branch meetings,
democratic evaluation, disclosure, clean government, honours and the paired village.

The same predicates (`party.permissions`) and services as the web UI. No resource ever
returns a ballot together with its voter. One module an area; `router` gathers them.
"""

from ninja import Router

from keguan.api.party import affairs, evaluation, meetings, members, study, summary

router = Router(tags=["party"])
for _area in (members, study, meetings, evaluation, affairs, summary):
    router.add_router("", _area.router)
