"""`python -m pbengine outcome FILE.pb ...`."""

import sys

from pbengine.cli import main

raise SystemExit(main(sys.argv[1:]))
