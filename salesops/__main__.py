"""Entry point of ``python -m salesops``."""

import sys

from salesops.cli import main

sys.exit(main())
