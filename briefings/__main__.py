"""`python -m briefings` is the `briefbot` command."""

import sys

from briefings.cli import main

sys.exit(main())
