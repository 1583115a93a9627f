#!/usr/bin/env python
"""Same as the `keguan` command, for those used to Django's manage.py."""

from keguan.cli import main

if __name__ == "__main__":
    main()
