"""The `gongkai` command: Django's management commands with the project's settings.

gongkai migrate | gongkai demo | gongkai workdays add 2024-09-27 20 | gongkai serve
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.conf.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongkai", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
