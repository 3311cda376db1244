#!/usr/bin/env python
"""Django's command-line utility; `joinedup` (joinedup/cli.py) is the same thing installed."""

import sys

from joinedup.cli import main

if __name__ == "__main__":
    sys.exit(main())
