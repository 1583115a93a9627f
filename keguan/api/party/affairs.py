"""/api/v1/party/ resources of the affairs area."""

from ninja import Router

router = Router()
