"""Who may do what with a spec: the one module that decides.

Views fetch specs only through `get_spec_for`, which answers 404 when the user may not see the
spec (so its existence is not disclosed) and 403 through `require` when they may see but not act.
Templates get booleans from `SpecAbilities`, never run checks themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, QuerySet, Value
from django.http import Http404
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from specs.models import (
    Spec,
    SpecGroupObjectPermission,
    SpecQuerySet,
    SpecUserObjectPermission,
    SpecVersion,
)


class SpecAction(StrEnum):
    VIEW = "view_spec"
    UPLOAD = "upload_version"
    REVIEW = "review_spec"
    APPROVE = "approve_spec"
    ADMINISTER = "administer_spec"


AUTHOR_CANNOT_REVIEW = "The author cannot review their own spec."

AUTHOR_ACTIONS = (SpecAction.VIEW, SpecAction.UPLOAD, SpecAction.ADMINISTER)


@dataclass(frozen=True)
class SpecAbilities:
    can_view: bool
    can_upload: bool
    can_review: bool
    can_approve: bool
    can_administer: bool


def visible_specs(user) -> SpecQuerySet:
    """Every spec the user may see, in one query (no per-row permission checks)."""
    return specs_for(user, SpecAction.VIEW)


def visible_spec_id_lists(user) -> list[QuerySet]:
    """`visible_specs(user)` as the lists of spec ids it is the union of, each a one-column query
    on a grant table: the user's own `view_spec` grants and their groups' ones (every spec for
    an active superuser; none when signed out or deactivated). A query that only keeps its own
    rows to visible specs (search) tests `spec_id IN (a) OR spec_id IN (b)`: PostgreSQL hashes
    each list once per statement, instead of scanning every spec to build the same set."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return [Spec.objects.order_by().values("pk")]
    view = {
        "permission__codename": SpecAction.VIEW.value,
        "permission__content_type__app_label": Spec._meta.app_label,
        "permission__content_type__model": Spec._meta.model_name,
    }
    return [
        SpecUserObjectPermission.objects.filter(user_id=user.pk, **view)
        .order_by()
        .values("content_object_id"),
        SpecGroupObjectPermission.objects.filter(group__user=user.pk, **view)
        .order_by()
        .values("content_object_id"),
    ]


def sees_every_spec(user) -> bool:
    """An active superuser: `visible_specs` is every spec (guardian's with_superuser), so a
    query may leave its permission check out instead of matching against all of them."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def specs_for(user, action: SpecAction) -> SpecQuerySet:
    """Every spec on which the user may take `action`, as one lazy query."""
    if not user.is_authenticated or not user.is_active:
        return Spec.objects.none()
    allowed = get_objects_for_user(user, f"specs.{action}", klass=Spec, accept_global_perms=False)
    assert isinstance(allowed, SpecQuerySet)
    if action in _ROLE_GRANTED:
        allowed = allowed.exclude(author=user)  # as in `abilities`: no review of one's own spec
    return allowed


class Reach(StrEnum):
    """Which specs `specs_for` answers for a user: none, those granted to them, or every spec."""

    NONE = "none"  # signed out or deactivated
    GRANTED = "granted"
    EVERY = "every"  # an active superuser (guardian's with_superuser)


def reach(user) -> Reach:
    if not user.is_authenticated or not user.is_active:
        return Reach.NONE
    return Reach.EVERY if user.is_superuser else Reach.GRANTED


def specs_reached(scope: Reach, action: SpecAction, user_id) -> SpecQuerySet:
    """`specs_for(user, action)` written with the user's id alone, for a user whose `reach` is
    `scope`: `user_id` may be a statement's placeholder (core.statements), so one compiled
    statement serves every user of that reach. The grants are the same two tables guardian
    reads (user grants, group grants), as subqueries PostgreSQL hashes once per statement."""
    if scope is Reach.NONE:
        return Spec.objects.none()
    specs = Spec.objects.all()
    if scope is Reach.GRANTED:
        held = {
            "permission__codename": action.value,
            "permission__content_type__app_label": Spec._meta.app_label,
            "permission__content_type__model": Spec._meta.model_name,
        }
        by_user = SpecUserObjectPermission.objects.filter(user_id=user_id, **held)
        by_group = SpecGroupObjectPermission.objects.filter(group__user=user_id, **held)
        specs = specs.filter(
            Q(pk__in=by_user.values("content_object_id"))
            | Q(pk__in=by_group.values("content_object_id"))
        )
    if action in _ROLE_GRANTED:
        specs = specs.exclude(author=user_id)  # as in `specs_for`: no review of one's own spec
    return specs


def with_grants(queryset: QuerySet, user, *, spec: str = "pk") -> QuerySet:
    """Annotate each row with the actions `user` holds on its spec (`spec`: the path to the
    spec's id), read in the same query instead of two more per spec (user and group grants).

    `abilities` uses the annotation only for this same user; superusers hold every action,
    which guardian answers itself, so they are not annotated.
    """
    if reach(user) is not Reach.GRANTED:
        return queryset
    return with_grants_of(queryset, Value(user.pk), spec=spec)


def with_grants_of(queryset: QuerySet, user_id, *, spec: str = "pk") -> QuerySet:
    """`with_grants` for a user whose `reach` is GRANTED, by id: `user_id` is a `Value` or a
    statement's placeholder (core.statements), so one compiled read serves every such user."""
    by_user = SpecUserObjectPermission.objects.filter(
        user_id=user_id, content_object_id=OuterRef(spec)
    ).values("permission__codename")
    by_group = SpecGroupObjectPermission.objects.filter(
        group__user=user_id, content_object_id=OuterRef(spec)
    ).values("permission__codename")
    return queryset.annotate(
        grants_user_id=user_id,
        user_grants=ArraySubquery(by_user),
        group_grants=ArraySubquery(by_group),
    )


def _granted(user, spec: Spec) -> set[str]:
    if getattr(spec, "grants_user_id", None) == user.pk:
        return {*spec.user_grants, *spec.group_grants}  # type: ignore[attr-defined]
    return set(ObjectPermissionChecker(user).get_perms(spec))


def abilities(user, spec: Spec) -> SpecAbilities:
    if not user.is_authenticated or not user.is_active:
        return SpecAbilities(False, False, False, False, False)
    granted = _granted(user, spec)
    if spec.author_id == user.pk:
        # The author never reviews their own spec, whatever a grant or a RACI row says.
        granted -= {SpecAction.REVIEW, SpecAction.APPROVE}
    return SpecAbilities(
        can_view=SpecAction.VIEW in granted,
        can_upload=SpecAction.UPLOAD in granted,
        can_review=SpecAction.REVIEW in granted,
        can_approve=SpecAction.APPROVE in granted,
        can_administer=SpecAction.ADMINISTER in granted,
    )


def get_spec_for(
    user, slug: str, *, queryset: QuerySet[Spec] | None = None
) -> tuple[Spec, SpecAbilities]:
    """The spec and what the user may do with it; 404 unless they may at least see it."""
    specs = queryset if queryset is not None else Spec.objects.with_current_version()
    spec = with_grants(specs.filter(slug=slug), user).first()
    if spec is None:
        raise Http404("No such spec")
    can = abilities(user, spec)
    if not can.can_view:
        raise Http404("No such spec")
    return spec, can


def get_version_for(
    user, slug: str, number: int, *, queryset: QuerySet[SpecVersion] | None = None
) -> tuple[SpecVersion, Spec, SpecAbilities]:
    """One version of a spec the user may see, with its spec and what they may do, in one
    query; 404 (as `get_spec_for`) when the spec is not theirs to see or has no such version."""
    versions = queryset if queryset is not None else SpecVersion.objects.all()
    version = (
        with_grants(versions.select_related("spec").filter(spec__slug=slug), user, spec="spec_id")
        .filter(number=number)
        .first()
    )
    if version is None:
        # Same answer as get_spec_for: an unseen spec and a missing version look alike only
        # when the spec is unseen; a visible spec without that version is a plain 404 too.
        raise Http404("No such version")
    spec = version.spec
    for name in ("grants_user_id", "user_grants", "group_grants"):
        if hasattr(version, name):
            setattr(spec, name, getattr(version, name))
    can = abilities(user, spec)
    if not can.can_view:
        raise Http404("No such spec")
    return version, spec, can


def require(allowed: bool, message: str = "You may not do that on this spec.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def is_site_admin(user) -> bool:
    """The one rule for site administration: templates, the outbox, settling any comment."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def can_manage_profiles(user) -> bool:
    """Templates shape every review; only administrators add them."""
    return is_site_admin(user)


def may_see_outbox(user) -> bool:
    return is_site_admin(user)


NO_REVIEW_PERMISSION = "You do not have review permission on this spec."
RACI_EDITORS_ONLY = "Only the author or an administrator edits the RACI."


def require_reviewer(user, spec: Spec, can: SpecAbilities) -> None:
    """403 unless the user reviews this spec, saying why (the author is told they cannot)."""
    why = AUTHOR_CANNOT_REVIEW if spec.author_id == user.pk else NO_REVIEW_PERMISSION
    require(can.can_review, why)


def may_edit_raci(can: SpecAbilities) -> bool:
    return can.can_administer


def may_override_lint(user, spec: Spec, can: SpecAbilities) -> bool:
    """A reviewer other than the author decides that lint errors must not block review."""
    return can.can_review and spec.author_id != user.pk


def grant(spec: Spec, user_or_group, *actions: SpecAction) -> None:
    for action in actions:
        assign_perm(f"specs.{action}", user_or_group, spec)


# What each RACI role may do on the spec it is assigned to (Informed people only read).
ROLE_ACTIONS: dict[str, tuple[SpecAction, ...]] = {
    "R": (SpecAction.VIEW, SpecAction.REVIEW),
    "A": (SpecAction.VIEW, SpecAction.REVIEW, SpecAction.APPROVE),
    "C": (SpecAction.VIEW, SpecAction.REVIEW),
    "I": (SpecAction.VIEW,),
}
_ROLE_GRANTED = (SpecAction.REVIEW, SpecAction.APPROVE)


def sync_role_permissions(spec: Spec, roles_by_user: dict) -> None:
    """Grant each RACI member their roles' actions; take review/approve from former members.

    View access stays with whoever had it: someone who reviewed a spec can still read it.
    """

    holders = SpecUserObjectPermission.objects.filter(
        content_object=spec, permission__codename__in=[str(a) for a in _ROLE_GRANTED]
    ).select_related("user", "permission")
    for held in holders:
        wanted = {a for role in roles_by_user.get(held.user, ()) for a in ROLE_ACTIONS[role]}
        if held.permission.codename not in wanted or held.user_id == spec.author_id:
            remove_perm(f"specs.{held.permission.codename}", held.user, spec)
    for user, roles in roles_by_user.items():
        actions = {a for role in roles for a in ROLE_ACTIONS[role]}
        if user.pk == spec.author_id:
            actions -= set(_ROLE_GRANTED)
        grant(spec, user, *actions)


# Comments. The spec row is what they hang on; the rules take plain values so that reviews,
# which owns the Comment model, need not be imported here (reviews imports specs, not back).
def may_comment(can: SpecAbilities) -> bool:
    """Starting a thread is reviewing."""
    return can.can_review


def may_reply(user, spec: Spec, can: SpecAbilities) -> bool:
    """Reviewers, and the author answering them."""
    return can.can_review or (can.can_view and spec.author_id == user.pk)


def may_address_comment(user, spec: Spec) -> bool:
    """Only the author says a comment has been dealt with in the document."""
    return spec.author_id == user.pk


def may_settle_comment(user, comment_author_id: int) -> bool:
    """Whoever raised a comment decides it is settled (or not); site administrators may too.

    Not the spec's own administer permission: the author holds it, and an author resolving
    the blocking comments on their own spec would defeat them.
    """
    return bool(user.is_authenticated and (user.pk == comment_author_id or is_site_admin(user)))
