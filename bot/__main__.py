"""``python -m bot`` is the same as ``qabot``."""

import sys

from bot.cli.main import main

sys.exit(main())
