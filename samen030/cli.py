"""The `samen030` command: Django's management commands with the project's settings, plus `samen030 pb`."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "pb":
        from pbengine.cli import main as pb_main

        return int(pb_main(args[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samen030.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
