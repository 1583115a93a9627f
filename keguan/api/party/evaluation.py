"""/api/v1/party/ resources of the evaluation area."""

from ninja import Router

router = Router()
