#!/usr/bin/env python
"""Django's command-line utility; the installed `samen030` command does the same."""

import sys

from samen030.cli import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
