"""``tomllib`` on Python 3.11+, its backport ``tomli`` on 3.10 (same API, same errors)."""

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised by the bare-virtualenv test on 3.10
    import tomli as tomllib

__all__ = ["tomllib"]
