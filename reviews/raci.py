"""RACI tables meet accounts: matching the document's names to people, and what roles grant."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.auth import get_user_model

from reviews.models import RaciAssignment
from specs import permissions
from specs.models import Spec
from specs.structures import name_key, parse_raci

# The author never reviews their own spec: these roles are refused to them by every route.
REVIEWING_ROLES = frozenset({"R", "A", "C"})
AUTHOR_CANNOT_REVIEW = "not applied: the author cannot review"


@dataclass(frozen=True)
class RaciMatch:
    area: str
    role: str
    user: Any  # an account, or None when the name matched nobody
    unmatched: str  # the name as written when no account matched, else ""


def author_holds_reviewing_role(author_id: int, role: str, user_id: int | None) -> bool:
    return user_id is not None and user_id == author_id and role in REVIEWING_ROLES


def split_author_rows(
    matches: list[RaciMatch], author_id: int
) -> tuple[list[RaciMatch], list[RaciMatch]]:
    """(applicable, refused): the document may name the author as a reviewer; the app may not."""
    applicable: list[RaciMatch] = []
    refused: list[RaciMatch] = []
    for m in matches:
        holds = author_holds_reviewing_role(author_id, m.role, getattr(m.user, "pk", None))
        (refused if holds else applicable).append(m)
    return applicable, refused


def account_index() -> dict[str, object]:
    """Every active account under each key a document may use: username, e-mail, full name."""
    index: dict[str, object] = {}
    for user in get_user_model().objects.filter(is_active=True):
        for key in (user.username, user.email, user.get_full_name()):
            if key:
                index.setdefault(name_key(key), user)
    return index


def match_version_raci(version) -> list[RaciMatch]:
    """The version's RACI table matched to accounts: parsed at analysis time when it ran."""
    if version.linted_at is not None:
        return match_raci_rows(version.structures.get("raci", []))
    # Large versions are analysed later, in Celery; their RACI is needed now.
    return match_raci_rows([asdict(row) for row in parse_raci(version.source)])


def match_raci_rows(rows: list[dict]) -> list[RaciMatch]:
    """Rows as stored on a version (`structures["raci"]`) matched to accounts, in table order."""
    if not rows:
        return []
    index = account_index()
    matches = []
    for row in rows:
        for role, column in (
            ("R", "responsible"),
            ("A", "accountable"),
            ("C", "consulted"),
            ("I", "informed"),
        ):
            for name in row[column]:
                user = index.get(name_key(name))
                matches.append(RaciMatch(row["area"], role, user, "" if user else name))
    return matches


def grant_raci_permissions(spec: Spec) -> None:
    """RACI membership grants what the role needs; leaving the RACI takes review rights away."""
    roles: dict[object, set[str]] = defaultdict(set)
    for assignment in RaciAssignment.objects.filter(spec=spec, user__isnull=False).select_related(
        "user"
    ):
        roles[assignment.user].add(assignment.role)
    permissions.sync_role_permissions(spec, roles)


@dataclass(frozen=True)
class RaciProposal:
    """How a new version's RACI table differs from the assignments in the app."""

    added: tuple[RaciMatch, ...]
    removed: tuple[RaciAssignment, ...]
    # Rows of the document naming the author as R, A or C: shown, never applied.
    refused: tuple[RaciMatch, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.added and not self.removed


def propose_from_raci_rows(
    rows: list[dict], assignments: tuple[RaciAssignment, ...], *, author_id: int
) -> RaciProposal:
    matches = match_raci_rows(rows)
    if not matches:
        return RaciProposal((), ())  # no table in this version: nothing to propose
    document, refused = split_author_rows(matches, author_id)

    def key(area: str, role: str, user_id, name: str) -> tuple:
        return (area, role, user_id or name_key(name))

    current = {key(a.area, a.role, a.user_id, a.unmatched_name): a for a in assignments}
    proposed = {key(m.area, m.role, getattr(m.user, "pk", None), m.unmatched): m for m in document}
    added = tuple(m for k, m in proposed.items() if k not in current)
    removed = tuple(a for k, a in current.items() if k not in proposed)
    return RaciProposal(added, removed, tuple(refused))
