"""/api/v1/party/ resources of the study area."""

from ninja import Router

router = Router()
