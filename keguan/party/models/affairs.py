"""The affairs area: disclosure, clean government, honours and the paired village."""

from keguan.party.models.disclosure import *  # noqa: F403
from keguan.party.models.honours import *  # noqa: F403
from keguan.party.models.integrity import *  # noqa: F403
from keguan.party.models.village import *  # noqa: F403
