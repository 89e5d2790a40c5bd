"""Runs `python -m analytics ARGS` for the CLI tests: in this process by default (the very
`cli.main` the command runs, a subprocess costs seconds of imports each), or as the real child
process with `subprocess=True`, which each command's suite keeps for one test at least."""

import contextlib
import io
import os
import subprocess
import sys
from unittest import mock

from analytics import cli
from analytics.config import ROOT


def run(argv, env: dict | None = None, stdin=subprocess.DEVNULL, child: bool = False):
    """A CompletedProcess with the exit status and what was printed. `env` is the whole
    environment; a `stdin` other than DEVNULL (a terminal) needs `child`."""
    argv = [str(a) for a in argv]
    environment = dict(os.environ if env is None else env)
    if child or stdin is not subprocess.DEVNULL:
        return subprocess.run(
            [sys.executable, "-m", "analytics", *argv],
            cwd=ROOT, env=environment, stdin=stdin, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch.dict(os.environ, environment, clear=True),
        mock.patch("sys.stdin", io.StringIO()),  # not a terminal, as DEVNULL is not
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            status = cli.main(argv)
        except SystemExit as exc:  # argparse's own usage errors
            status = exc.code
    return subprocess.CompletedProcess(argv, status, out.getvalue(), err.getvalue())
