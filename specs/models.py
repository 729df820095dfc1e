import functools
import re

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, When
from django.urls import get_script_prefix, get_urlconf, reverse
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from specs.vocabulary import SpecState, choices


class Profile(models.Model):
    """A template the linter checks specs against: a built-in seed or an admin's upload."""

    name = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    builtin = models.BooleanField(default=False)
    template_source = models.TextField(blank=True)
    override_toml = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class SpecQuerySet(models.QuerySet):
    def with_current_version(self) -> "SpecQuerySet":
        return self.select_related("profile", "author", "current_version")


class Spec(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    profile = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="specs")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_specs"
    )
    state = models.CharField(max_length=24, choices=choices(SpecState), default=SpecState.DRAFT)
    current_version = models.ForeignKey(
        "SpecVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Bumped by every change made through specs.actions / reviews.actions; forms carry it so a
    # stale form is refused with 409 instead of silently overwriting someone else's change.
    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = SpecQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["state", "-updated_at"]),
            models.Index(fields=["author", "-updated_at"], name="spec_author_updated"),
            models.Index(fields=["-created_at", "-id"], name="spec_created_id"),
        ]
        # Object permissions, granted per spec (specs.permissions is the only place that
        # decides what they allow): view_spec is Django's default.
        permissions = [
            ("upload_version", "Can upload new versions"),
            ("review_spec", "Can review (sign off, tick gates, record decisions)"),
            ("approve_spec", "Can approve"),
            ("administer_spec", "Can administer (permissions, RACI, withdraw)"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return spec_page_url(self.slug)


def spec_page_url(slug: str) -> str:
    """A spec's one home, its review page: the only place that names it (rows that carry only
    a slug, such as dashboard aggregates, come here too).

    A page of 50 specs reversed the same pattern 50 times (~13 µs each): the URL is the
    reversed one cut around a marker slug, reused for any slug the `slug` converter accepts
    (which reverse() would not quote); anything else goes through reverse() as before.
    """
    if not _SLUG.fullmatch(slug):
        return reverse("reviews:spec", args=[slug])
    before, after = _spec_url_around(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return f"{before}{slug}{after}"


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # django.urls.converters.SlugConverter.regex
_MARKER = "spec-slug-marker"


@functools.cache
def _spec_url_around(script_prefix: str, urlconf: str) -> tuple[str, str]:
    # Keyed by what reverse() reads, so a script prefix or URLconf of its own gets its own.
    before, after = reverse("reviews:spec", args=[_MARKER]).split(_MARKER)
    return before, after


class RenderState(models.TextChoices):
    PENDING = "pending", "Rendering…"
    RENDERED = "rendered", "Rendered"
    FAILED = "failed", "Could not render"


class SpecVersionQuerySet(models.QuerySet):
    def analysed_by_older_tools(self) -> "SpecVersionQuerySet":
        """Versions whose stored rendering or lint came from an older renderer or linter (a
        version still pending is analysed by the current ones anyway)."""
        renderer, linter = current_analysis_versions()
        return self.exclude(render_state=RenderState.PENDING).filter(
            Q(renderer_version__lt=renderer) | Q(linter_version__lt=linter)
        )

    def with_uploader(self) -> "SpecVersionQuerySet":
        return self.select_related("uploaded_by")

    def listing(self) -> "SpecVersionQuerySet":
        """Version-list columns only: never the (possibly megabyte) source or rendered HTML."""
        return (
            self.select_related("uploaded_by")
            .only(
                "spec_id",
                "number",
                "sha256",
                "size_bytes",
                "uploaded_at",
                "note",
                "render_state",
                "lint_errors",
                "lint_warnings",
                "lint_infos",
                "linted_at",
                "original_filename",
                "uploaded_by__username",
                "uploaded_by__first_name",
                "uploaded_by__last_name",
            )
            .order_by("-number")
        )

    def with_section_hashes_of(self, number: int | None) -> "SpecVersionQuerySet":
        """Adds `compared_hashes`: version `number`'s section hashes on its own row, None on
        the others. A page that compares this version with that one (the outline's "changed
        since you last looked") gets them with the list it loads anyway, not in a query more."""
        if number is None:
            return self
        return self.annotate(
            compared_hashes=Case(
                When(number=number, then=F("section_hashes")), output_field=models.JSONField()
            )
        )


class SpecVersion(models.Model):
    """One immutable upload. The source columns never change after insert (a trigger says so)."""

    spec = models.ForeignKey(Spec, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    original_bytes = models.BinaryField()
    source = models.TextField(help_text="UTF-8 text, BOM stripped, newlines normalised to LF")
    sha256 = models.CharField(max_length=64, help_text="of the exact uploaded bytes")
    size_bytes = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="uploaded_versions"
    )
    uploaded_at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    render_state = models.CharField(
        max_length=16, choices=RenderState.choices, default=RenderState.PENDING
    )
    rendered_html = models.TextField(blank=True)
    toc = models.JSONField(default=list, blank=True)
    outline = models.JSONField(default=list, blank=True)
    front_matter = models.JSONField(default=list, blank=True)
    render_error = models.CharField(max_length=500, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    lint_profile = models.CharField(max_length=64, blank=True)
    lint_findings = models.JSONField(null=True, blank=True)
    lint_errors = models.PositiveIntegerField(null=True, blank=True)
    lint_warnings = models.PositiveIntegerField(null=True, blank=True)
    lint_infos = models.PositiveIntegerField(null=True, blank=True)
    linted_at = models.DateTimeField(null=True, blank=True)
    # Which renderer and linter produced the stored results (specs.rendering.RENDERER_VERSION,
    # speclint.LINTER_VERSION); 0: analysed before versions were recorded.
    renderer_version = models.PositiveIntegerField(default=0)
    linter_version = models.PositiveIntegerField(default=0)

    # {section key: hash} of the whitespace-normalised text (specs.diffing.fingerprints): what
    # a later version changed, per section, for scoped staleness of sign-offs and gate ticks.
    section_hashes = models.JSONField(default=dict, blank=True)
    # The document's own RACI table and decision log rows (specs.structures), parsed once.
    structures = models.JSONField(default=dict, blank=True)

    objects = SpecVersionQuerySet.as_manager()

    class Meta:
        ordering = ["spec", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["spec", "number"], name="unique_version_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.spec.slug} v{self.number}"

    @property
    def has_diagram(self) -> bool:
        """Whether the stored HTML holds a diagram (the page loads mermaid only then)."""
        return 'pre class="mermaid"' in self.rendered_html

    @property
    def analysis_is_stale(self) -> bool:
        """Rendered or linted by an older renderer or linter: a refresh is due or under way."""
        if self.render_state == RenderState.PENDING:
            return False
        renderer, linter = current_analysis_versions()
        return self.renderer_version < renderer or self.linter_version < linter


def current_analysis_versions() -> tuple[int, int]:
    from speclint import LINTER_VERSION
    from specs.rendering import RENDERER_VERSION

    return RENDERER_VERSION, LINTER_VERSION


class ImageBlob(models.Model):
    """An image's bytes, stored once however many versions attach them (keyed by content).

    In PostgreSQL, beside the versions they belong to, so every web node serves them and a
    backup holds them (ADR 0012). Checked by `specs.images.validation` before insert; never
    changed or deleted afterwards (a trigger says so).
    """

    sha256 = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=40)
    size_bytes = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.content_type} {self.sha256[:12]}"


class VersionAttachmentQuerySet(models.QuerySet):
    def without_bytes(self) -> "VersionAttachmentQuerySet":
        return self.select_related("blob").defer("blob__data").order_by("path")


class VersionAttachment(models.Model):
    """A file of a version, by the relative path its Markdown names it with. Immutable like
    the version it belongs to."""

    version = models.ForeignKey(SpecVersion, on_delete=models.PROTECT, related_name="attachments")
    path = models.CharField(max_length=255)
    blob = models.ForeignKey(ImageBlob, on_delete=models.PROTECT, related_name="+")

    objects = VersionAttachmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "path"], name="unique_attachment_path")
        ]

    def __str__(self) -> str:
        return f"{self.version_id}:{self.path}"

    @property
    def url(self) -> str:
        return attachment_url(self.version.spec.slug, self.blob.sha256, self.path)


def attachment_url(slug: str, sha256: str, path: str) -> str:
    """Where an attached file is served: by content, so the address never changes meaning."""
    return reverse("specs:version_file", args=[slug, sha256, path])


class ReanalysisPosition(models.Model):
    """How far a re-analysis run got (`manage.py reanalyse_versions`, the beat sweep): the last
    version id it finished, per target (`r1-l1`, or `all-r1-l1` for --all), so an interrupted
    run resumes where it stopped instead of starting over."""

    key = models.CharField(max_length=40, unique=True)
    last_version_id = models.BigIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.key} after #{self.last_version_id}"


class SpecUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign key, so permission checks join on an integer instead of a text id."""

    content_object = models.ForeignKey(Spec, on_delete=models.CASCADE)


class SpecGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Spec, on_delete=models.CASCADE)


class SearchKind(models.TextChoices):
    TITLE = "title", "Title"
    SECTION = "section", "Section"
    COMMENT = "comment", "Comment"
    DECISION = "decision", "Decision"
    GATE = "gate", "Gate N/A reason"


class SearchEntry(models.Model):
    """One searchable piece of a spec: its title, a section of a version, a comment, a decision
    or a gate item's N/A reason. `document` is a generated, weighted tsvector (migration
    specs 0007) under a GIN index; specs.search reads it, the writers call specs.search.index_*."""

    spec = models.ForeignKey(Spec, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=SearchKind.choices)
    version_number = models.PositiveIntegerField(null=True, blank=True)
    # Sections of older versions stay findable "in all versions"; the rest are current.
    is_latest = models.BooleanField(default=True)
    heading = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    anchor = models.CharField(max_length=200, blank=True, help_text="fragment on the spec page")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["spec", "is_latest"], name="search_spec_latest")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.spec_id}: {self.heading[:40]}"
