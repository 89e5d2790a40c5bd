"""`python -m analytics …` (or `partnerships …` once installed): the command line for HQ data
managers, scripts and checks."""

import signal
import sys

from analytics.cli import main


def run() -> None:
    """The entry point of both spellings (pyproject.toml [project.scripts])."""
    # Piping into `head` must end quietly, as other command-line tools do.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())


if __name__ == "__main__":
    run()
