"""Files under the attachment folder: a full disk said plainly, and files no row names swept.

An upload writes its file before the transaction that records it commits. A request killed
in between (the server's process killed, the database gone) leaves a file that no row
names: an orphan. `sweep_orphaned_files` removes those once they are old enough that no
upload can still be on its way to commit.
"""

import datetime as dt
import errno
import logging
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _

from keguan.audit import services as audit

log = logging.getLogger(__name__)

# The disk is full, or the account's quota is: nothing the user can fix by trying again.
NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT})

# How long an unnamed file is left alone: longer than any upload takes to commit.
GRACE = dt.timedelta(hours=1)


def is_no_room(exc: BaseException) -> bool:
    """Whether EXC says the disk (or the quota) has no room left."""
    return isinstance(exc, OSError) and exc.errno in NO_ROOM


def no_room_message() -> str:
    return _(
        "The server has no room for this file now; nothing was saved. "
        "Please tell the administrator."
    )


def log_no_room(what: str, path, exc: OSError) -> None:
    """Tell the operators: a full disk refuses every upload until someone frees space."""
    log.error("no room to store %s at %s: %s", what, path, exc)


def _root() -> Path:
    return Path(settings.KEGUAN_ATTACHMENT_DIR).resolve()


def _stores_in_attachment_dir(field) -> bool:
    storage = getattr(field, "storage", None)
    location = getattr(storage, "location", None)
    return location is not None and Path(location).resolve() == _root()


def referenced_names() -> set[str]:
    """The names, relative to the attachment folder, of every file a row points to.

    Found by looking at the models rather than from a list, so a model added later is not
    forgotten: a `stored_name` column (projects' Attachment) or a file field kept in the
    attachment folder (the portal's objection letters).
    """
    names = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.name == "stored_name" or (
                isinstance(field, models.FileField) and _stores_in_attachment_dir(field)
            ):
                names.update(
                    model._base_manager.exclude(**{field.attname: ""})
                    .values_list(field.attname, flat=True)
                    .iterator()
                )
    return {str(Path(name)) for name in names if name}


def orphaned_files(older_than: dt.timedelta = GRACE) -> list[Path]:
    """Files under the attachment folder that no row names, last written more than
    OLDER_THAN ago."""
    root = _root()
    if not root.is_dir():
        return []
    # The folder is listed before the rows are read: a file old enough to be listed has
    # had its row committed (or never will), so the rows read next name it if anything does.
    cutoff = time.time() - older_than.total_seconds()
    candidates = [
        path for path in root.rglob("*") if path.is_file() and path.stat().st_mtime < cutoff
    ]
    named = referenced_names()
    return [path for path in candidates if str(path.relative_to(root)) not in named]


def sweep_orphaned_files(older_than: dt.timedelta = GRACE) -> int:
    """Remove the files under the attachment folder that no row names and that are older
    than OLDER_THAN; return how many.

    Side effects: the files are deleted; one audit event `core.files.sweep` with the count
    (recorded even when it is nothing, so the trail shows the sweep ran).
    """
    removed = 0
    for path in orphaned_files(older_than):
        # Folders are left in place: an upload may be about to write into one.
        path.unlink(missing_ok=True)
        removed += 1
    if removed:
        log.warning("removed %d orphaned file(s) under %s", removed, _root())
    with audit.writing():
        audit.record(
            "core.files.sweep",
            object_type="core.files",
            after={"removed": removed, "older_than_minutes": int(older_than.total_seconds() // 60)},
        )
    return removed
