"""Keeps writing to keguan until it is stopped, as a running keguan would while a backup runs.

Each round adds an attachment file (written in pieces, as an upload is) and an organization
through the services (so the audit chain grows), then prints the round's number. Run as
`python -m tests.core.backup_writer` with the KEGUAN_* environment of the site to write to.
"""

import os
import secrets
import sys
from pathlib import Path

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keguan.settings")
    django.setup()
    from django.conf import settings

    from tests.factories import make_bureau, make_organization

    county = make_bureau("361127", "县科技局")
    root = Path(settings.KEGUAN_ATTACHMENT_DIR) / "writer"
    root.mkdir(parents=True, exist_ok=True)
    round_number = 0
    while True:
        round_number += 1
        with (root / f"{round_number:06d}.bin").open("xb") as out:
            for _ in range(4):
                out.write(secrets.token_bytes(4096))
                out.flush()
        make_organization(county, f"写入单位{round_number}")
        print(round_number, flush=True)


if __name__ == "__main__":
    sys.exit(main())
