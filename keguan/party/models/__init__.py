"""The Party branch's records, one module per area."""

from keguan.party.models.members import *  # noqa: F403
