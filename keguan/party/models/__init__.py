"""The Party branch's records, one module per area."""

from keguan.party.models.affairs import *  # noqa: F403
from keguan.party.models.dues import *  # noqa: F403
from keguan.party.models.evaluation import *  # noqa: F403
from keguan.party.models.meetings import *  # noqa: F403
from keguan.party.models.members import *  # noqa: F403
from keguan.party.models.study import *  # noqa: F403
