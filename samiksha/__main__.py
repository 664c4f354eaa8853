"""`python -m samiksha ...`: see samiksha.cli."""

import sys

from samiksha.cli import main

sys.exit(main())
