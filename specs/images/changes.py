"""Which attached files differ between two versions, by content. Pure: {path: sha256} maps in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class FileChange:
    path: str
    kind: ChangeKind
    old_sha256: str = ""
    new_sha256: str = ""


def file_changes(old: Mapping[str, str], new: Mapping[str, str]) -> list[FileChange]:
    """Added, removed and changed files in path order; a file whose bytes are the same is not
    a change, whatever happened around it."""
    changes = []
    for path in sorted(old.keys() | new.keys()):
        before, after = old.get(path, ""), new.get(path, "")
        if before == after:
            continue
        kind: ChangeKind = "added" if not before else "removed" if not after else "changed"
        changes.append(FileChange(path, kind, before, after))
    return changes
