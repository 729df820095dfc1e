"""The real templates behind the built-in profiles (byte-exact copies of shared/seeds).

The linter ships them as package data, so tests and benchmarks read them from there and need
nothing outside the repository.
"""

from pathlib import Path

PROFILES = Path(__file__).resolve().parent.parent / "speclint" / "src" / "speclint" / "profiles"
SEEDS = sorted(PROFILES.glob("*.md"))
TECH_SPEC = PROFILES / "tech-spec.md"
