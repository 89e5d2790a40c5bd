"""`python -m analytics …`: the command line for HQ data managers, scripts and checks."""

import signal
import sys

from analytics.cli import main

# Piping into `head` must end quietly, as other command-line tools do.
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
sys.exit(main())
