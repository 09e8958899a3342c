"""`python -m counter.cli`: the same as the console script `counter`."""

import sys

from counter.cli import main

sys.exit(main())
