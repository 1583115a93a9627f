"""/api/v1/party/ resources of the meetings area."""

from ninja import Router

router = Router()
