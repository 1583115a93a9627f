import pytest


@pytest.fixture(autouse=True)
def _attachment_dir(settings, tmp_path):
    settings.KEGUAN_ATTACHMENT_DIR = tmp_path / "attachments"
