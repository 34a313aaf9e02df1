"""`python -m pipeline` is the same as the `tarjama` command."""

import sys

from .cli import main

if __name__ == "__main__":  # not when a helper process (pipeline/finishing.py) imports it
    sys.exit(main())
