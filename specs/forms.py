from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.text import slugify

from speclint.intake import IntakeError, SpecText, decode_spec_bytes, refuse_oversize
from specs.images.store import UploadedImage, uploaded_path
from specs.images.validation import ImageError, check_image, refuse_oversize_image
from specs.models import Profile, Spec

DETECT = "detect"
MAX_IMAGES_PER_UPLOAD = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files from one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def check_uploaded_images(uploads) -> list[UploadedImage]:
    """Each uploaded file checked by its content; every refusal named, nothing kept if any."""
    if len(uploads) > MAX_IMAGES_PER_UPLOAD:
        raise forms.ValidationError(
            f"{len(uploads)} images at once is too many; attach at most {MAX_IMAGES_PER_UPLOAD}."
        )
    checked: dict[str, UploadedImage] = {}
    errors: list[str] = []
    for upload in uploads:
        try:
            # Django has spooled the file to disk already; its size is known unread.
            refuse_oversize_image(upload.name, upload.size)
            path = uploaded_path(upload.name)
            if path in checked:
                raise ImageError("bad-name", f"Two images are named “{path}”; rename one.")
            checked[path] = UploadedImage(path=path, image=check_image(upload.name, upload.read()))
        except ImageError as error:
            errors.append(error.message)
    if errors:
        raise forms.ValidationError(errors)
    return list(checked.values())


class VersionContentForm(forms.Form):
    """A version's content: an uploaded file or pasted text, decoded and checked once here."""

    file = forms.FileField(
        required=False,
        help_text=".md, .markdown or .txt, UTF-8, at most 1 MiB",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".md,.markdown,.txt,text/markdown,text/plain"}
        ),
    )
    text = forms.CharField(required=False, strip=False, widget=forms.Textarea(attrs={"rows": 18}))
    note = forms.CharField(required=False, max_length=500, label="Change note")
    images = MultipleFileField(
        required=False,
        label="Images",
        help_text=(
            "PNG, JPEG, GIF, WebP or SVG (no scripts), at most 10 MiB each; the Markdown "
            "refers to each by its file name, e.g. ![Flow](flow.png)."
        ),
        widget=MultipleFileInput(
            attrs={
                "accept": ".png,.jpg,.jpeg,.gif,.webp,.svg,image/png,image/jpeg,image/gif,"
                "image/webp,image/svg+xml"
            }
        ),
    )

    ALLOWED_SUFFIXES = (".md", ".markdown", ".txt")

    def clean_images(self) -> list[UploadedImage]:
        return check_uploaded_images(self.cleaned_data.get("images") or [])

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if upload and text.strip():
            raise forms.ValidationError("Upload a file or paste text, not both.")
        if not upload and not text.strip():
            raise forms.ValidationError("Upload a file or paste the spec's text.")
        limit = settings.SPEC_MAX_UPLOAD_BYTES
        if upload:
            if not upload.name.lower().endswith(self.ALLOWED_SUFFIXES):
                raise forms.ValidationError(
                    f"“{upload.name}” is not a Markdown file: use .md, .markdown or .txt."
                )
            try:
                # Django has already spooled the upload to disk; its size is known unread.
                refuse_oversize(upload.size, limit)
            except IntakeError as error:
                raise forms.ValidationError(error.message, code=error.code) from None
            data, filename = upload.read(), upload.name
        else:
            data, filename = text.encode("utf-8"), ""
        try:
            decoded = decode_spec_bytes(data, max_bytes=limit)
        except IntakeError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        cleaned["data"], cleaned["decoded"], cleaned["filename"] = data, decoded, filename
        return cleaned

    @property
    def decoded(self) -> SpecText:
        return self.cleaned_data["decoded"]


class SpecCreateForm(VersionContentForm):
    title = forms.CharField(max_length=200)
    slug = forms.SlugField(
        max_length=80,
        required=False,
        help_text="Part of the address; made from the title if empty.",
    )
    profile = forms.ChoiceField(label="Template")

    field_order = ["title", "slug", "profile", "file", "text", "images", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(DETECT, "Detect from the content")]
        choices += [(p.name, p.title) for p in Profile.objects.order_by("title")]
        profile_field = self.fields["profile"]
        assert isinstance(profile_field, forms.ChoiceField)
        profile_field.choices = choices

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(self.data.get("title", ""))[:80]
        if not slug:
            raise forms.ValidationError("Give the spec a title or an address.")
        if Spec.objects.filter(slug=slug).exists():
            raise forms.ValidationError(f"The address “{slug}” is taken; choose another.")
        return slug


class ProfileUploadForm(forms.Form):
    """A template (file or text) plus an optional TOML override, inferred before it is saved."""

    name = forms.SlugField(max_length=64, help_text="Short id, e.g. “runbook”.")
    title = forms.CharField(max_length=200)
    template_file = forms.FileField(required=False, label="Template file")
    template_text = forms.CharField(
        required=False,
        strip=False,
        label="…or template text",
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    override_toml = forms.CharField(
        required=False, label="TOML override (optional)", widget=forms.Textarea(attrs={"rows": 6})
    )

    def clean_name(self):
        name = self.cleaned_data["name"]
        if Profile.objects.filter(name=name).exists():
            raise forms.ValidationError(f"A profile named “{name}” exists already.")
        return name

    def clean(self):
        from speclint import ProfileError, infer_profile

        super().clean()
        cleaned = self.cleaned_data
        upload = cleaned.get("template_file")
        limit = settings.SPEC_MAX_UPLOAD_BYTES
        try:
            if upload:
                refuse_oversize(upload.size, limit)  # before reading it into memory
            data = upload.read() if upload else (cleaned.get("template_text") or "").encode()
            template = decode_spec_bytes(data, max_bytes=limit).text
        except IntakeError as error:
            raise forms.ValidationError(f"Template: {error.message}", code=error.code) from None
        try:
            profile = infer_profile(
                template,
                name=cleaned.get("name") or "new",
                override_toml=cleaned.get("override_toml") or None,
            )
        except ProfileError as error:
            raise forms.ValidationError(
                f"The template or override cannot become a profile: {error}"
            ) from None
        cleaned["template"], cleaned["summary"] = template, profile.summary()
        return cleaned
