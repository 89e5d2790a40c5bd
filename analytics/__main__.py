"""`python -m analytics …`: the command line for HQ data managers, scripts and checks."""

import sys

from analytics.cli import main

sys.exit(main())
