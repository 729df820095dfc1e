"""What the API reads and writes, as pydantic schemas: the OpenAPI document is made from these."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, field_validator, model_validator

SpecStateName = Literal[
    "draft", "in_review", "changes_requested", "approved", "rejected", "withdrawn"
]
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; Django's form fields refuse it the same way.
    if "\x00" in value:
        raise ValueError("Null characters are not allowed.")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]


class ProblemOut(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, str]] | None = None
    reasons: list[str] | None = None


class LintCountsOut(Schema):
    profile: str
    errors: int | None
    warnings: int | None
    infos: int | None


class VersionOut(Schema):
    number: int
    sha256: str
    size_bytes: int
    uploaded_by: str
    uploaded_at: datetime.datetime
    note: str
    filename: str
    render_state: str
    lint: LintCountsOut


class SpecOut(Schema):
    slug: str
    title: str
    profile: str
    state: SpecStateName
    author: str
    row_version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    current_version: VersionOut | None


class SpecPageOut(Schema):
    items: list[SpecOut]
    next_cursor: str | None = Field(
        description="pass as `cursor` for the next page; null at the end"
    )


class SpecCreateIn(Schema):
    title: Text = Field(min_length=1, max_length=200)
    slug: Text | None = Field(default=None, min_length=1, max_length=80, pattern=SLUG_PATTERN)
    profile: Text = Field(
        default="detect", max_length=64, description="a profile name, or `detect`"
    )
    content: str = Field(min_length=1, description="the first version's Markdown")
    note: Text = Field(default="", max_length=500)

    @field_validator("title")
    @classmethod
    def _title_has_words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Give the spec a title.")
        return value.strip()


class UploadOut(Schema):
    created: bool = Field(description="false when the content repeats the latest version")
    spec: SpecOut
    version: VersionOut


class TransitionOut(Schema):
    name: str
    allowed: bool
    reasons: list[str]


class CellOut(Schema):
    role: Literal["R", "A", "C"]
    username: str
    name: str
    state: str
    stale_from: int | None
    carried_from: int | None = Field(description="signed on this older version, still valid")
    comment: str


class AreaOut(Schema):
    area: str
    turn: str
    done: bool
    cells: list[CellOut]
    informed: list[str]


class GateOut(Schema):
    item: str
    state: Literal["unchecked", "checked", "na"]
    reason: str
    revision: int = Field(description="send back as `revision` when ticking this item")
    by: str | None
    at: datetime.datetime | None


class CommentOut(Schema):
    id: int
    author: str
    body: str
    section: str
    line_start: int | None
    line_end: int | None
    state: str
    version: int


class DecisionOut(Schema):
    id: int
    date: datetime.date
    request: str
    source: str
    decision: str
    rationale: str
    trade_off: str
    version: int
    supersedes: int | None
    recorded_by: str
    recorded_at: datetime.datetime


class ReviewOut(Schema):
    slug: str
    state: SpecStateName
    row_version: int = Field(description="send back as `row_version` with a transition")
    version: int = Field(description="send back as `version` with sign-offs, ticks, decisions")
    lint_errors: int | None
    lint_overridden: bool
    transitions: list[TransitionOut]
    signoffs: list[AreaOut]
    gates: list[GateOut]
    open_blocking_comments: list[CommentOut]
    decisions: list[DecisionOut]


class TransitionIn(Schema):
    name: Literal["submit", "approve", "reject", "withdraw"]
    row_version: int = Field(ge=1)
    comment: Text = Field(default="", max_length=2000)


class SignOffIn(Schema):
    area: Text = Field(min_length=1, max_length=100)
    role: Literal["R", "A", "C"]
    decision: Literal["approve", "request_changes", "no_concerns", "concerns"]
    comment: Text = Field(default="", max_length=5000)
    version: int = Field(ge=1)

    @model_validator(mode="after")
    def _comment_when_objecting(self) -> SignOffIn:
        if self.decision in {"request_changes", "concerns"} and not self.comment.strip():
            raise ValueError("Say what needs to change: a comment is required.")
        return self


class SignOffOut(Schema):
    area: str
    role: str
    decision: str
    comment: str
    version: int
    recorded_at: datetime.datetime


class GateTickIn(Schema):
    item: Text = Field(min_length=1, max_length=300)
    state: Literal["unchecked", "checked", "na"]
    reason: Text = Field(default="", max_length=500)
    version: int = Field(ge=1)
    revision: int = Field(ge=0)

    @model_validator(mode="after")
    def _reason_for_na(self) -> GateTickIn:
        if self.state == "na" and not self.reason.strip():
            raise ValueError("N/A needs a reason.")
        return self


class DecisionIn(Schema):
    date: datetime.date
    request: Text = Field(min_length=1, max_length=500)
    source: Text = Field(min_length=1, max_length=200)
    decision: Literal["Approved", "Deferred", "Rejected"]
    rationale: Text = Field(min_length=1, max_length=10000)
    trade_off: Text = Field(min_length=1, max_length=10000)
    version: int = Field(ge=1)
    supersedes: int | None = Field(default=None, ge=1)


LintDocument = dict[str, Any]
