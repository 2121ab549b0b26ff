"""``python -m bot`` is the same as ``qabot``."""

import sys

from bot.cli import main

sys.exit(main())
