"""The `keguan` command: Django's management entry point for this project."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keguan.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "keguan"
    if len(argv) > 1 and not argv[1].startswith("-"):
        # `keguan sweep-files` runs the command module sweep_files.
        argv[1] = argv[1].replace("-", "_")
    if len(argv) > 1 and not argv[1].startswith("-"):
        # `keguan bench-data`, `keguan sweep-files`: commands are modules, spelled with "_".
        argv[1] = argv[1].replace("-", "_")
    if len(argv) > 1 and argv[1] == "demo":
        # The demo serves plain HTTP on loopback; production keeps HTTPS on by default.
        os.environ.setdefault("KEGUAN_HTTPS", "false")
        os.environ.setdefault("KEGUAN_EMAIL_BACKEND", "file")
    from django.core.management import execute_from_command_line

    from keguan.env import ConfigError

    try:
        execute_from_command_line(argv)
    except ConfigError as exc:
        sys.stderr.write(f"keguan: configuration error: {exc}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
