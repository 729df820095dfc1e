"""Which files a new version attaches, and writing them: each image's bytes once (by hash),
one attachment row per version and path.

Called by `specs.actions.upload_version` only, inside its transaction.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from specs.images.validation import CheckedImage, ImageError
from specs.models import ImageBlob, Spec, SpecVersion, VersionAttachment, attachment_url

__all__ = ["UploadedImage", "attachment_urls", "plan_attachments", "store_attachments"]


@dataclass(frozen=True)
class UploadedImage:
    """A checked image and the path the Markdown refers to it by (its file name)."""

    path: str
    image: CheckedImage


def uploaded_path(filename: str) -> str:
    """The attachment path of an uploaded file: its name as sent, without any folder a browser
    sent with it. A name the Markdown could not spell as a path (``#`` and ``?`` start a
    fragment or query there) is refused rather than silently renamed."""
    name = posixpath.basename(filename.replace("\\", "/")).strip()
    if name in ("", ".", "..") or any(ord(char) < 32 for char in name):
        raise ImageError("bad-name", f"“{filename}” is not a usable file name.")
    if "#" in name or "?" in name:
        raise ImageError(
            "bad-name", f"“{name}”: a Markdown image path cannot hold # or ?; rename the file."
        )
    return name[:255]


def version_attachments(version: SpecVersion | None) -> dict[str, str]:
    """{path: sha256} of a stored version's files."""
    if version is None:
        return {}
    return dict(
        VersionAttachment.objects.filter(version=version).values_list("path", "blob__sha256")
    )


def plan_attachments(
    *, text: str, uploads: Sequence[UploadedImage], previous: Mapping[str, str]
) -> dict[str, str]:
    """{path: sha256} the new version will attach: every uploaded file, plus each file of the
    previous version that the new text still names (by path or file name) and that was not
    uploaded again, so a text-only edit keeps its pictures without uploading them again.

    Naming is a substring test, not a parse: it runs before the time-limited analysis, and a
    false positive only carries an unused file forward.
    """
    planned = {
        path: sha256
        for path, sha256 in previous.items()
        if path in text or posixpath.basename(path) in text
    }
    for upload in uploads:
        planned[upload.path] = upload.image.sha256
    return planned


def attachment_urls(slug: str, planned: Mapping[str, str]) -> dict[str, str]:
    """{path: URL} for the renderer."""
    return {path: attachment_url(slug, sha256, path) for path, sha256 in planned.items()}


def carried_attachment_urls(spec: Spec, text: str) -> dict[str, str]:
    """{path: URL} of the files `text` would keep from the spec's current version (the upload
    page's preview: files being uploaded are not on the server yet)."""
    previous = version_attachments(spec.current_version)
    return attachment_urls(spec.slug, plan_attachments(text=text, uploads=(), previous=previous))


def store_attachments(
    version: SpecVersion, planned: Mapping[str, str], uploads: Sequence[UploadedImage]
) -> None:
    """Write the blobs not stored yet (an identical image is stored once, whoever uploaded
    it first) and the version's attachment rows."""
    new_images = {upload.image.sha256: upload.image for upload in uploads}
    ImageBlob.objects.bulk_create(
        [
            ImageBlob(
                sha256=image.sha256,
                content_type=image.content_type,
                size_bytes=len(image.data),
                width=image.width,
                height=image.height,
                data=image.data,
            )
            for image in new_images.values()
        ],
        ignore_conflicts=True,  # stored already, by an earlier version or a racing upload
    )
    blob_ids = dict(
        ImageBlob.objects.filter(sha256__in=set(planned.values())).values_list("sha256", "pk")
    )
    VersionAttachment.objects.bulk_create(
        [
            VersionAttachment(version=version, path=path, blob_id=blob_ids[sha256])
            for path, sha256 in sorted(planned.items())
        ]
    )
