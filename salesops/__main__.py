"""Entry point of ``python -m salesops``."""

import os

# Forecast fits make many small matrix products: BLAS threads competing for a few shared cores make them several
# times slower, so the app runs BLAS single-threaded (must be set before numpy is first imported).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


import sys

from salesops.cli import main

sys.exit(main())
