"""A document's own fields: ``**Key:** value`` metadata before the first ``##`` and front matter.

Inference reads them from a template (what a document must carry); conditional sections read them
from a document (``stage: beta`` makes the scalability questions required).
"""

from __future__ import annotations

import yaml

from .document import Document
from .inline import LabelledLine

__all__ = ["document_fields", "load_front_matter", "metadata_lines"]


def metadata_lines(doc: Document) -> list[LabelledLine]:
    return [
        labelled
        for labelled in doc.labelled_lines
        if labelled.line <= doc.metadata_end_line
        and labelled.context == "paragraph"
        and set(labelled.containers) <= {"list_item"}
    ]


def load_front_matter(content: str) -> dict[str, str] | None:
    """Front matter as strings (dates stay text so that 2026-02-30 can be reported)."""
    try:
        data = yaml.load(content, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds only str
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    return {str(key): value if isinstance(value, str) else "" for key, value in data.items()}


def document_fields(doc: Document) -> dict[str, str]:
    """Metadata (``**Status:** Draft``) and front-matter values, keys lower-cased."""
    fields = {line.label.strip().lower(): line.value for line in metadata_lines(doc)}
    if doc.front_matter is not None:
        data = load_front_matter(doc.front_matter.content) or {}
        fields.update({key.strip().lower(): value for key, value in data.items()})
    return fields
