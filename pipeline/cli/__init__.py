"""The `tarjama` command. Each handler is a thin wrapper around library functions.

Errors from the library arrive as TarjamaError subclasses and are printed as one line,
`tarjama: error: ...`, with the class's exit code; tracebacks only with --debug.
Exit codes: 0 all done, 1 some files failed, 2 usage/config/model/file-system error, 130 interrupted.
"""

from __future__ import annotations

import logging
import os
import sys

from ..errors import TarjamaError
from .parser import build_parser

__all__ = ["build_parser", "main"]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Tarjama's own loggers (ids, counts and timings, never article text) at debug with --debug;
    # the libraries' stay at warning.
    logging.basicConfig(level=logging.WARNING, format="tarjama: %(name)s: %(message)s")
    logging.getLogger("pipeline").setLevel(logging.DEBUG if args.debug else logging.WARNING)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        code = args.handler(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except TarjamaError as exc:
        if args.debug:
            raise
        print(f"tarjama: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("tarjama: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `tarjama check --json | head`: the reader has all it wanted. Quietly, as Python's docs
        # advise: point stdout at /dev/null so the flush at exit raises nothing either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:
        # The file system said no (permissions, a full disk, a file where a folder should be):
        # the user's to fix, so one line naming the path, not a traceback.
        if args.debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"tarjama: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
