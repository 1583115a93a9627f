import pytest
import time_machine

from tests.api.portal.helpers import TUESDAY


@pytest.fixture(autouse=True)
def _attachment_dir(settings, tmp_path):
    settings.KEGUAN_ATTACHMENT_DIR = tmp_path / "attachments"


@pytest.fixture
def on_tuesday():
    """The clock on a plain working day (the notices' periods start on it)."""
    with time_machine.travel(TUESDAY, tick=True) as traveller:
        yield traveller
