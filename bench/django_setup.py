"""Importing this sets Django up for a benchmark: DATABASE_URL, or the embedded PostgreSQL.

Benchmarks then work in a throwaway database (`create_test_db`), never in the data of `make run`.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
if "DATABASE_URL" not in os.environ:
    sys.path.insert(0, str(ROOT / "scripts"))
    import devdb

    os.environ["DATABASE_URL"] = devdb.start()[0]

import django

django.setup()
