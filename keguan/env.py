"""Strict parsing of the KEGUAN_* environment variables.

A bad value stops start-up with a message naming the variable, so that a typo in a
deployment never silently falls back to an unsafe default.
"""

import os
from pathlib import Path


class ConfigError(Exception):
    """A KEGUAN_* variable holds a value keguan cannot use."""


def env_str(name: str, default: str = "") -> str:
    """Return NAME, or the content of the file named by NAME_FILE, or the default."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{name}_FILE: cannot read {file_name!r}: {exc.strerror}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Accept only true/false (any case), 1/0, yes/no; anything else is an error."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"true", "1", "yes", "on"}:
        return True
    if value in {"false", "0", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_days_by_kind(name: str) -> dict[str, int]:
    """ "kind=days,kind=days" (e.g. "award=7,funding=5") as a dict; a clear error otherwise."""
    value = env_str(name, "")
    result = {}
    for part in filter(None, (p.strip() for p in value.split(","))):
        kind, _, days = part.partition("=")
        if not kind.strip() or not days.strip().isdigit() or int(days) < 1:
            raise ConfigError(f"{name}: expected kind=days pairs, e.g. award=7,funding=5")
        result[kind.strip()] = int(days)
    return result


def database_from_url(url: str) -> dict:
    """Turn postgres://user:pass@host:port/name (or postgresql://) into a DATABASES entry.

    An empty host means the local socket given by PGHOST, as libpq does.
    """
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ConfigError(
            f"KEGUAN_DATABASE_URL must start with postgresql://, not {parts.scheme!r}"
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ConfigError("KEGUAN_DATABASE_URL names no database (postgresql://host/NAME)")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "ATOMIC_REQUESTS": False,
    }
