"""Where an image written in the Markdown comes from: a file attached to the version, another
host, or nowhere.

Pure: the caller passes the version's attachments as ``{path: url}`` (paths as
`attachment_path` normalises them); nothing here knows about models or URLs of the app.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

ImageStatus = Literal["attached", "missing", "remote", "refused"]

__all__ = ["ImageReference", "ImageStatus", "attachment_path", "names_index", "resolve_image"]


@dataclass(frozen=True, slots=True)
class ImageReference:
    """One image the Markdown shows, and what became of it."""

    src: str  # as written
    line: int  # 1-based line of the block that holds it
    status: ImageStatus
    path: str = ""  # the attachment path it resolved to, or would have (missing)


def attachment_path(reference: str) -> str | None:
    """The normalised attachment path a relative reference names, or None if it cannot name one.

    ``./img/a.png``, ``img/a.png`` and ``/img/a.png`` all name ``img/a.png`` (a leading slash is
    the version's root, as in a repository); ``%20`` is a space; a query or fragment is ignored;
    a path that climbs out with ``..`` names nothing.
    """
    path = reference.split("#", 1)[0].split("?", 1)[0]
    path = unquote(path).replace("\\", "/").strip()
    if not path or any(ord(char) < 32 for char in path):
        return None
    normal = posixpath.normpath("/" + path.lstrip("/")).lstrip("/")
    if not normal or normal == "." or ".." in path.split("/"):
        return None
    return normal


def names_index(attachments: Mapping[str, str]) -> dict[str, str | None]:
    """{file name: path} for `resolve_image`; None where two attachments share a name."""
    index: dict[str, str | None] = {}
    for path in attachments:
        name = posixpath.basename(path)
        index[name] = None if name in index else path
    return index


def resolve_image(
    src: str, attachments: Mapping[str, str], names: Mapping[str, str | None] | None = None
) -> tuple[ImageStatus, str, str]:
    """(status, attachment path, URL to show) for an image's ``src``.

    A relative path is looked up exactly, then by its file name alone when exactly one
    attachment has that name (authors write ``img/flow.png`` and upload ``flow.png``).
    `names` is `names_index(attachments)`, built once per document by the caller.
    """
    lowered = src.lower()
    if lowered.startswith(("http://", "https://")):
        return "remote", "", src
    if ":" in src.split("/", 1)[0] or src.startswith("//"):
        return "refused", "", ""  # data:, javascript:, file:, protocol-relative hosts
    path = attachment_path(src)
    if path is None:
        return "refused", "", ""
    if path in attachments:
        return "attached", path, attachments[path]
    named = (names if names is not None else names_index(attachments)).get(posixpath.basename(path))
    if named is not None:
        return "attached", named, attachments[named]
    return "missing", path, ""
