"""/api/v1/party/ resources of the members area."""

from ninja import Router

router = Router()
