#!/usr/bin/env python
"""Django's command-line utility for BoursOloco."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent

if __name__ == "__main__":
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boursoloco.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
