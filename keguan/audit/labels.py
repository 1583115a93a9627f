"""Readable names for audit event codes, so histories say 形式审查通过, not a code.

Workflows register each transition's label themselves; services register the codes they
record. An unregistered code is shown as it is.
"""

from typing import Any

_LABELS: dict[str, Any] = {}


def register(labels: dict[str, Any]) -> None:
    """Name event codes: {"projects.application.create": _("Application started"), ...}."""
    _LABELS.update(labels)


def label_for(code: str) -> str:
    label = _LABELS.get(code)
    return str(label) if label is not None else code
