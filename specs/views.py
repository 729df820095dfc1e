import posixpath

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import ratelimit
from core.http import HtmxHttpRequest
from specs import actions, analysis, diffing, permissions
from specs.diffing.fingerprints import only_sections
from specs.forms import DETECT, ProfileUploadForm, SpecCreateForm, VersionContentForm
from specs.images import store as image_store
from specs.images.changes import file_changes
from specs.images.validation import SVG_TYPE
from specs.models import Profile, SpecVersion, VersionAttachment, attachment_url
from specs.profiles import detect_profile

PREVIEW_TIME_LIMIT_SECONDS = 2.0
UPLOADERS_ONLY = "Only the author and people they allow may upload versions."


@require_http_methods(["GET", "POST"])
def spec_create(request: HtmxHttpRequest) -> HttpResponse:
    if request.method == "POST":
        verdict = ratelimit.hit(upload_limit(), str(request.user.pk))
        if not verdict.allowed:
            return ratelimit.too_many_requests(request, verdict, "uploads")
    form = SpecCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = data["profile"]
        profile = (
            detect_profile(form.decoded.text)
            if chosen == DETECT
            else get_object_or_404(Profile, name=chosen)
        )
        try:
            spec = actions.create_spec_with_version(
                title=data["title"],
                slug=data["slug"],
                profile=profile,
                author=request.user,
                data=data["data"],
                note=data["note"],
                filename=data["filename"],
                images=data["images"],
            )
        except IntegrityError:  # someone took the address between the form's check and now
            form.add_error("slug", f"The address “{data['slug']}” was just taken; choose another.")
        else:
            messages.success(request, f"Created “{spec.title}” with version 1 ({profile.title}).")
            return redirect(spec)
    return render(request, "specs/spec_new.html", {"form": form})


@require_GET
def version_source(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    spec, _ = permissions.get_spec_for(request.user, slug)
    version = get_object_or_404(SpecVersion.objects.with_uploader(), spec=spec, number=number)
    lines = version.source.split("\n")
    return render(request, "specs/source.html", {"spec": spec, "version": version, "lines": lines})


@require_GET
def version_download(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    # The floor of every page: session, user, then the version with its spec and grants.
    version, spec, _ = permissions.get_version_for(
        request.user,
        slug,
        number,
        queryset=SpecVersion.objects.only("number", "original_bytes", "spec"),
    )
    response = HttpResponse(
        bytes(version.original_bytes), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{spec.slug}-v{version.number}.md"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# An attached file is a resource, never a page: even opened on its own (an SVG), it may run
# nothing and load nothing.
ATTACHMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@require_GET
def version_file(request: HtmxHttpRequest, slug: str, sha256: str, path: str) -> HttpResponse:
    """A file attached to a version of the spec, to whoever may see the spec (404 otherwise).
    Addressed by content, so it never changes: cached for good, revalidated by its hash."""
    spec, _ = permissions.get_spec_for(request.user, slug)
    attachment = (
        VersionAttachment.objects.without_bytes()
        .filter(version__spec=spec, blob__sha256=sha256, path=path)
        .first()
    )
    if attachment is None:
        raise Http404("No such file")
    blob = attachment.blob
    etag = f'"{blob.sha256}"'
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        # The bytes only now: a revalidation (304) never reads them from the database.
        response = HttpResponse(bytes(blob.data), content_type=blob.content_type)
        # SVG opened by itself is a document; download it rather than show it at our origin.
        as_download = blob.content_type == SVG_TYPE
        disposition = content_disposition_header(as_download, posixpath.basename(path))
        response["Content-Disposition"] = disposition or "inline"
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    return response


@require_http_methods(["GET", "POST"])
def version_upload(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require(can.can_upload, UPLOADERS_ONLY)
    if request.method == "POST":
        verdict = ratelimit.hit(upload_limit(), str(request.user.pk))
        if not verdict.allowed:
            return ratelimit.too_many_requests(request, verdict, "uploads")
    form = VersionContentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = actions.upload_version(
            spec=spec,
            data=data["data"],
            uploaded_by=request.user,
            note=data["note"],
            filename=data["filename"],
            images=data["images"],
        )
        if outcome.created:
            messages.success(request, f"Uploaded version {outcome.version.number}.")
        else:
            messages.info(
                request, f"Nothing changed: identical to version {outcome.version.number}."
            )
        return redirect(spec)
    context = {
        "spec": spec,
        "form": form,
        "initial_text": spec.current_version.source if spec.current_version else "",
        "carried_files": sorted(image_store.version_attachments(spec.current_version)),
    }
    return render(request, "specs/upload.html", context)


@require_POST
def version_preview(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Live preview while an author edits: rendered under a short hard limit and linted against
    the spec's template, never stored."""
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require(can.can_upload, UPLOADERS_ONLY)
    verdict = ratelimit.hit(preview_limit(), str(request.user.pk))
    if not verdict.allowed:
        return ratelimit.too_many_requests(request, verdict, "previews")
    form = VersionContentForm(request.POST)
    preview = None
    if form.is_valid():
        text = form.decoded.text
        preview = analysis.analyse(
            text,
            profile=spec.profile,
            seconds=PREVIEW_TIME_LIMIT_SECONDS,
            attachments=image_store.carried_attachment_urls(spec, text),
        ).values
    return render(request, "specs/upload.html#preview", {"form": form, "preview": preview})


def preview_limit() -> ratelimit.Limit:
    return ratelimit.Limit("preview", *settings.PREVIEW_RATE_LIMIT)


def upload_limit() -> ratelimit.Limit:
    return ratelimit.Limit("upload", *settings.UPLOAD_RATE_LIMIT)


@require_GET
def version_diff(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    versions = list(SpecVersion.objects.filter(spec=spec).listing())
    newest = versions[0].number if versions else 1
    old_number = parse_number(request.GET.get("from"), default=max(1, newest - 1))
    new_number = parse_number(request.GET.get("to"), default=newest)
    old, new = (
        get_object_or_404(SpecVersion.objects.with_uploader(), spec=spec, number=old_number),
        get_object_or_404(SpecVersion.objects.with_uploader(), spec=spec, number=new_number),
    )
    mode = "unified" if request.GET.get("mode") == "unified" else "split"
    is_current = new.pk == spec.current_version_id
    diff = diffing.diff_texts(old.source, new.source)
    # ?section=<key> (repeatable): a reviewer's own sections first, as their stale sign-off links.
    only = set(request.GET.getlist("section"))
    if only:
        diff = only_sections(diff, new.source, only)
    files = image_changes(spec.slug, old, new)
    context = {
        "spec": spec,
        "old": old,
        "new": new,
        "diff": diff,
        "mode": mode,
        "versions": versions,
        "only_sections": sorted(only),
        "file_changes": files,
        "new_is_current": is_current,
        # Lines of the new side take comments when it is the version under review.
        "comment_on_new": is_current and mode == "split" and permissions.may_comment(can),
    }
    return render(request, "specs/diff.html", context)


def image_changes(slug: str, old: SpecVersion, new: SpecVersion) -> list[dict[str, str]]:
    """The diff page's rows: each changed file with the addresses of both sides."""
    return [
        {
            "path": change.path,
            "kind": change.kind,
            "old_url": attachment_url(slug, change.old_sha256, change.path)
            if change.old_sha256
            else "",
            "new_url": attachment_url(slug, change.new_sha256, change.path)
            if change.new_sha256
            else "",
        }
        for change in file_changes(
            image_store.version_attachments(old), image_store.version_attachments(new)
        )
    ]


@require_GET
def profile_list(request: HtmxHttpRequest) -> HttpResponse:
    permissions.require(
        permissions.can_manage_profiles(request.user), "Only administrators manage templates."
    )
    return render(request, "specs/profiles.html", {"profiles": Profile.objects.order_by("title")})


@require_http_methods(["GET", "POST"])
def profile_create(request: HtmxHttpRequest) -> HttpResponse:
    """Upload a template, see what was inferred, then confirm to save it as a profile."""
    permissions.require(
        permissions.can_manage_profiles(request.user), "Only administrators manage templates."
    )
    form = ProfileUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and request.POST.get("confirm") == "yes":
        data = form.cleaned_data
        actions.create_profile(
            name=data["name"],
            title=data["title"],
            template=data["template"],
            override_toml=data["override_toml"],
            created_by=request.user,
        )
        messages.success(request, f"Profile “{data['title']}” saved; specs can now use it.")
        return redirect("specs:profile_list")
    summary = form.cleaned_data.get("summary") if form.is_bound and form.is_valid() else None
    template = form.cleaned_data.get("template", "") if summary else ""
    return render(
        request, "specs/profile_new.html", {"form": form, "summary": summary, "template": template}
    )


def parse_number(raw: str | None, *, default: int) -> int:
    return int(raw) if raw and raw.isdigit() else default
