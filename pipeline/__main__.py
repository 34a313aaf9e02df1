"""`python -m pipeline` is the same as the `tarjama` command."""

import sys

from .cli import main

sys.exit(main())
