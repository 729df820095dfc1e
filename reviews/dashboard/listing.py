"""All specs a person can see: filters, keyset ("cursor") pagination and the CSV export.

The filters apply to the specs the person may see only (``specs_reached``, the same set as
``visible_specs``), so neither a page, a cursor nor the export can reach another spec. Pages
are keyset pages on (sort key, id): no OFFSET, so page 100 costs what page 1 costs, and rows
inserted meanwhile do not shift the next page.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import (
    BigIntegerField,
    Case,
    DurationField,
    Exists,
    F,
    Field,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Now

from accounts.models import display_name
from core.statements import Statement
from reviews.models import RaciAssignment
from specs import permissions
from specs.models import Profile, spec_page_url
from specs.permissions import Reach, SpecAction, specs_reached
from specs.vocabulary import SpecState, choices

from .sql import CLOSED_STATES, SUBMIT, closed_at, event_at, waiting_since

PAGE_SIZE = 50  # as many rows as Review Board's dashboard shows (issue 15 compares the two)

# sort value -> (model field, descending, label)
SORTS: dict[str, tuple[str, bool, str]] = {
    "-updated": ("updated_at", True, "Recently updated"),
    "updated": ("updated_at", False, "Least recently updated"),
    "-created": ("created_at", True, "Newest"),
    "created": ("created_at", False, "Oldest"),
    "title": ("title", False, "Title A-Z"),
    "-title": ("title", True, "Title Z-A"),
}
DEFAULT_SORT = "-updated"

# age value -> (at least, less than) days since the spec was created
AGES: dict[str, tuple[int, int | None, str]] = {
    "week": (0, 7, "Under a week"),
    "month": (7, 30, "1-4 weeks"),
    "quarter": (30, 90, "1-3 months"),
    "older": (90, None, "Over 3 months"),
}


class SpecFilterForm(forms.Form):
    state = forms.ChoiceField(required=False, choices=[("", "Any state"), *choices(SpecState)])
    profile = forms.ChoiceField(required=False)
    area = forms.CharField(required=False, max_length=100)
    person = forms.CharField(
        required=False, max_length=150, help_text="Username of an author or RACI member"
    )
    age = forms.ChoiceField(
        required=False, choices=[("", "Any age")] + [(k, v[2]) for k, v in AGES.items()]
    )
    sort = forms.ChoiceField(
        required=False, choices=[(k, v[2]) for k, v in SORTS.items()], initial=DEFAULT_SORT
    )
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, data=None, *, profiles: Sequence[Profile] = ()) -> None:
        super().__init__(data)
        field = self.fields["profile"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Any template")] + [(p.name, p.title) for p in profiles]

    def filters(self) -> dict[str, str]:
        """The valid filters (an invalid one is dropped, never widened into something else)."""
        if not self.is_bound:
            return {"sort": DEFAULT_SORT}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        values = {k: str(v).strip() for k, v in cleaned.items() if v not in (None, "")}
        values.setdefault("sort", DEFAULT_SORT)
        return values


def filter_specs(visible: QuerySet, filters: dict[str, str], now: datetime.datetime) -> QuerySet:
    specs = visible
    if state := filters.get("state"):
        specs = specs.filter(state=state)
    if profile := filters.get("profile"):
        specs = specs.filter(profile__name=profile)
    if area := filters.get("area"):
        specs = specs.filter(
            Exists(RaciAssignment.objects.filter(spec=OuterRef("pk"), area__iexact=area))
        )
    if person := filters.get("person"):
        member = RaciAssignment.objects.filter(spec=OuterRef("pk"), user__username__iexact=person)
        specs = specs.filter(Q(author__username__iexact=person) | Exists(member))
    if age := filters.get("age"):
        at_least, less_than, _ = AGES[age]
        specs = specs.filter(created_at__lte=now - datetime.timedelta(days=at_least))
        if less_than is not None:
            specs = specs.filter(created_at__gt=now - datetime.timedelta(days=less_than))
    return specs


def with_review_times(specs: QuerySet) -> QuerySet:
    """First submit, when review ended, and time in review (until then, or until now)."""
    return specs.annotate(
        submitted_at=event_at(SUBMIT, latest=False),
        closed_at=closed_at(),
        since=waiting_since(),
    ).annotate(
        time_in_review=Case(
            When(submitted_at__isnull=True, then=Value(None)),
            When(state__in=CLOSED_STATES, then=F("closed_at") - F("submitted_at")),
            default=Now() - F("submitted_at"),
            output_field=DurationField(),
        )
    )


# What a row of the page shows, read as values() rows: building 50 specs with their author,
# profile and version as model instances cost more CPU than the query itself.
PAGE_COLUMNS = (
    "pk",
    "slug",
    "title",
    "state",
    "created_at",
    "updated_at",
    "author__username",
    "author__first_name",
    "author__last_name",
    "profile__title",
    "current_version_id",
    "current_version__number",
    "current_version__lint_errors",
    "current_version__lint_warnings",
    "current_version__linted_at",
    "time_in_review",
)
STATE_LABELS = dict(choices(SpecState))


def listing(specs: QuerySet) -> QuerySet:
    return with_review_times(specs).values(*PAGE_COLUMNS)


def sorted_specs(specs: QuerySet, sort: str) -> QuerySet:
    field, descending, _ = SORTS.get(sort, SORTS[DEFAULT_SORT])
    prefix = "-" if descending else ""
    return specs.order_by(f"{prefix}{field}", f"{prefix}pk")


@dataclass(frozen=True)
class Page:
    rows: list
    next_cursor: str | None
    total: int
    first: bool


def encode_cursor(sort: str, key: Any, pk: int) -> str:
    value = key.isoformat() if isinstance(key, datetime.datetime) else key
    raw = json.dumps([sort, value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int] | None:
    """The (key, id) a page starts after; None for a cursor from another sort or a garbled one."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, value, pk = json.loads(raw)
        field = SORTS[sort][0]
        if cursor_sort != sort or not isinstance(pk, int) or not isinstance(value, str):
            return None
        if field.endswith("_at"):
            parsed = datetime.datetime.fromisoformat(value)
            if parsed.tzinfo is None:
                return None
            return parsed, pk
        return value, pk
    except (ValueError, TypeError, KeyError, binascii.Error, json.JSONDecodeError):
        return None


def after(specs: QuerySet, sort: str, position: tuple[Any, Any] | None) -> QuerySet:
    """The specs after a cursor's (key, id) position (all of them without one)."""
    if position is None:
        return specs
    key, pk = position
    field, descending, _ = SORTS[sort]
    op = "lt" if descending else "gt"
    return specs.filter(Q(**{f"{field}__{op}": key}) | Q(**{field: key, f"pk__{op}": pk}))


def page_rows(specs: QuerySet, sort: str, position: tuple[Any, Any] | None, size: int) -> QuerySet:
    """One more row than a page holds (the extra one says there is a next page)."""
    return sorted_specs(listing(after(specs, sort, position)), sort)[: size + 1]


FILTERS = ("state", "profile", "area", "person", "age")

# The list as the dashboard opens (and its next pages, with the cursor's position bound):
# compiled once per process for each reach, sort, first-or-next page and page size
# (core.statements). Filtered lists take typed values, which would key a cache without bound:
# they compile each time.
_PAGE = Statement(
    lambda scope, sort, paged, size, user, key, pk: page_rows(
        specs_reached(scope, SpecAction.VIEW, user), sort, (key, pk) if paged else None, size
    ),
    user=BigIntegerField(),
    key=Field(),
    pk=BigIntegerField(),
)
_VISIBLE = Statement(
    lambda scope, user: specs_reached(scope, SpecAction.VIEW, user).values("pk"),
    user=BigIntegerField(),
)


def spec_page(user, filters: dict[str, str], now: datetime.datetime) -> Page:
    """One page of the filtered specs the user can see: PAGE_SIZE rows, the next cursor, the
    total."""
    sort = filters.get("sort", DEFAULT_SORT)
    sort = sort if sort in SORTS else DEFAULT_SORT
    cursor = filters.get("cursor", "")
    position = decode_cursor(cursor, sort) if cursor else None
    scope = permissions.reach(user)
    if scope is Reach.NONE:
        rows, total = [], 0
    elif not any(filters.get(name) for name in FILTERS):
        key, pk = position or (None, None)
        rows = _PAGE.rows(
            scope, sort, position is not None, PAGE_SIZE, user=user.pk, key=key, pk=pk
        )
        total = _VISIBLE.count(scope, user=user.pk)
    else:
        matching = filter_specs(specs_reached(scope, SpecAction.VIEW, user.pk), filters, now)
        rows = list(page_rows(matching, sort, position, PAGE_SIZE))
        total = matching.count()
    next_cursor = None
    if len(rows) > PAGE_SIZE:
        rows = rows[:PAGE_SIZE]
        last = rows[-1]
        next_cursor = encode_cursor(sort, last[SORTS[sort][0]], last["pk"])
    return Page([_shown(row) for row in rows], next_cursor, total, first=not cursor)


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    """A row with what the template prints worked out once, in Python, not per lookup."""
    row["url"] = spec_page_url(row["slug"])
    row["author"] = display_name(
        row["author__username"], row["author__first_name"], row["author__last_name"]
    )
    row["state_label"] = STATE_LABELS.get(row["state"], row["state"])
    row["version"] = (
        {
            "number": row["current_version__number"],
            "lint_errors": row["current_version__lint_errors"],
            "lint_warnings": row["current_version__lint_warnings"],
            "linted_at": row["current_version__linted_at"],
        }
        if row["current_version_id"]
        else None
    )
    return row


CSV_HEADER = (
    "slug",
    "title",
    "template",
    "state",
    "version",
    "author",
    "created",
    "updated",
    "first submitted",
    "days in review",
    "lint errors",
)


def csv_rows(visible: QuerySet, filters: dict[str, str], now: datetime.datetime) -> Iterator:
    """The export: every filtered spec, streamed from a server-side cursor in chunks."""
    specs = sorted_specs(
        with_review_times(filter_specs(visible, filters, now)), filters.get("sort", DEFAULT_SORT)
    ).values_list(
        "slug",
        "title",
        "profile__title",
        "state",
        "current_version__number",
        "author__username",
        "created_at",
        "updated_at",
        "submitted_at",
        "time_in_review",
        "current_version__lint_errors",
    )
    yield CSV_HEADER
    for row in specs.iterator(chunk_size=2000):
        *head, submitted, in_review, errors = row
        yield (
            *(_cell(v) for v in head),
            _cell(submitted),
            f"{in_review.total_seconds() / 86400:.1f}" if in_review is not None else "",
            "" if errors is None else errors,
        )


def _cell(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    # A spreadsheet would run a title like "=HYPERLINK(…)" as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value
