"""Writes that matter for specs: creating a spec, uploading a version, analysing a version.

Every upload of new content becomes version N+1 under a row lock on the spec, so two racing
uploads land as distinct consecutive versions. Rendering and linting happen once per version:
inline (under a hard time limit) for ordinary documents, in a Celery task for large ones.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.audit import record_event
from core.queueing import publish_on_commit
from speclint.intake import IntakeError, decode_spec_bytes
from specs import analysis, permissions, search
from specs.diffing.fingerprints import section_fingerprints
from specs.images import store as image_store
from specs.images.store import UploadedImage
from specs.models import Profile, RenderState, Spec, SpecVersion
from specs.signals import version_uploaded
from specs.vocabulary import SpecVerb

logger = logging.getLogger(__name__)

__all__ = [
    "IntakeError",
    "UploadOutcome",
    "UploadedImage",
    "analyse_version",
    "create_profile",
    "create_spec",
    "reanalyse_version",
    "upload_version",
]


@dataclass(frozen=True)
class UploadOutcome:
    version: SpecVersion
    created: bool


@transaction.atomic
def create_spec(
    *, title: str, slug: str, profile: Profile, author, created_at: datetime | None = None
) -> Spec:
    now = created_at or timezone.now()
    spec = Spec.objects.create(
        title=title, slug=slug, profile=profile, author=author, created_at=now, updated_at=now
    )
    permissions.grant(spec, author, *permissions.AUTHOR_ACTIONS)
    record_event(
        SpecVerb.CREATED,
        actor=author,
        spec_id=spec.pk,
        data={"slug": slug, "profile": profile.name},
        at=now,
    )
    return spec


@transaction.atomic
def create_spec_with_version(
    *,
    title: str,
    slug: str,
    profile: Profile,
    author,
    data: bytes,
    note: str = "",
    filename: str = "",
    images: Sequence[UploadedImage] = (),
) -> Spec:
    """A new spec and its first version, both or neither (bad input or a taken slug: nothing)."""
    spec = create_spec(title=title, slug=slug, profile=profile, author=author)
    upload_version(
        spec=spec, data=data, uploaded_by=author, note=note, filename=filename, images=images
    )
    return spec


@transaction.atomic
def create_profile(
    *, name: str, title: str, template: str, override_toml: str, created_by
) -> Profile:
    profile = Profile.objects.create(
        name=name, title=title, builtin=False, template_source=template, override_toml=override_toml
    )
    record_event(
        "profile.created", actor=created_by, target=f"profile:{profile.pk}", data={"name": name}
    )
    return profile


def upload_version(
    *,
    spec: Spec,
    data: bytes,
    uploaded_by,
    note: str = "",
    filename: str = "",
    uploaded_at: datetime | None = None,
    images: Sequence[UploadedImage] = (),
) -> UploadOutcome:
    """Store `data` as the spec's next version, unless it repeats the latest one.

    `images` are checked already (`specs.images.validation`); the version attaches them plus
    the previous version's files its text still names (`specs.images.store.plan_attachments`).
    Raises IntakeError (nothing written) for oversize, binary, NUL-bearing or non-UTF-8 input.
    """
    text = decode_spec_bytes(data, max_bytes=settings.SPEC_MAX_UPLOAD_BYTES)
    previous = image_store.version_attachments(spec.versions.order_by("-number").first())
    planned = image_store.plan_attachments(text=text.text, uploads=images, previous=previous)
    # Render and lint before taking the lock: it is the slow part, and it depends only on the
    # text and the files (whose addresses are by content, so known before the version exists).
    inline = len(data) <= settings.SPEC_INLINE_ANALYSIS_BYTES
    results = (
        analysis.analyse(
            text.text,
            profile=spec.profile,
            attachments=image_store.attachment_urls(spec.slug, planned),
        )
        if inline
        else None
    )
    with transaction.atomic():
        locked = Spec.objects.select_for_update().get(pk=spec.pk)
        latest = locked.versions.order_by("-number").first()
        if (
            latest is not None
            and latest.source == text.text
            and (not images or image_store.version_attachments(latest) == planned)
        ):
            return UploadOutcome(version=latest, created=False)
        now = uploaded_at or timezone.now()
        version = SpecVersion(
            spec=locked,
            number=(latest.number + 1) if latest else 1,
            original_bytes=data,
            source=text.text,
            sha256=hashlib.sha256(data).hexdigest(),
            size_bytes=len(data),
            uploaded_by=uploaded_by,
            uploaded_at=now,
            note=note.strip()[:500],
            original_filename=filename[:255],
            section_hashes=section_fingerprints(text.text),
        )
        if results is not None:
            results.apply_to(version)
        version.save()
        image_store.store_attachments(version, planned, images)
        search.index_version(version)
        Spec.objects.filter(pk=locked.pk).update(
            current_version=version, updated_at=now, row_version=F("row_version") + 1
        )
        record_event(
            "version.uploaded",
            actor=uploaded_by,
            spec_id=locked.pk,
            version_number=version.number,
            target=f"version:{version.pk}",
            data={
                "sha256": version.sha256,
                "size": len(data),
                "note": version.note,
                "files": planned,
            },
            at=now,
        )
        version_uploaded.send(
            sender=SpecVersion, spec=locked, version=version, uploaded_by=uploaded_by
        )
        if results is None:
            from specs.tasks import analyse_version_task

            publish_on_commit(analyse_version_task, version.pk)
    spec.refresh_from_db()
    return UploadOutcome(version=version, created=True)


def analyse_version(version_id: int) -> None:
    """Render and lint a stored version that is still pending (Celery and the sweep call this)."""
    version = SpecVersion.objects.select_related("spec__profile").get(pk=version_id)
    if version.render_state != RenderState.PENDING:
        return  # done already: a redelivered task or a sweep that raced the worker
    results = _analyse_stored(version)
    with transaction.atomic():
        locked = SpecVersion.objects.select_for_update().get(pk=version_id)
        if locked.render_state != RenderState.PENDING:
            return
        results.apply_to(locked)
        locked.save(update_fields=analysis.RESULT_FIELDS)


def _analyse_stored(version: SpecVersion) -> analysis.AnalysisResult:
    files = image_store.version_attachments(version)
    return analysis.analyse(
        version.source,
        profile=version.spec.profile,
        attachments=image_store.attachment_urls(version.spec.slug, files),
    )


def stale_pending_version_ids(older_than_seconds: int = 120) -> list[int]:
    """Versions whose analysis task never ran (broker down, worker lost): the sweep retries them."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        SpecVersion.objects.filter(
            render_state=RenderState.PENDING, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:500]
    )


def reanalyse_version(version_id: int, *, everything: bool = False) -> bool:
    """Re-render and re-lint a stored version whose results came from an older renderer or
    linter (or any version, with `everything`); False when there was nothing to do, such as a
    second run, or another worker, getting there first. Its uploaded content never changes."""
    version = SpecVersion.objects.select_related("spec__profile").get(pk=version_id)
    if not _needs_reanalysis(version, everything=everything):
        return False
    results = _analyse_stored(version)
    with transaction.atomic():
        locked = SpecVersion.objects.select_for_update().get(pk=version_id)
        if not _needs_reanalysis(locked, everything=everything):
            return False
        before = {"renderer": locked.renderer_version, "linter": locked.linter_version}
        results.apply_to(locked)
        locked.save(update_fields=analysis.RESULT_FIELDS)
        record_event(
            SpecVerb.REANALYSED,
            actor=None,
            spec_id=locked.spec_id,
            version_number=locked.number,
            target=f"version:{locked.pk}",
            data={
                "from": before,
                "to": {"renderer": locked.renderer_version, "linter": locked.linter_version},
                "lint_errors": locked.lint_errors,
            },
        )
    return True


def _needs_reanalysis(version: SpecVersion, *, everything: bool) -> bool:
    if version.render_state == RenderState.PENDING:
        return False  # its first analysis, with today's tools, is queued already
    return everything or version.analysis_is_stale
