"""Remembering the latest version each person looked at, for "what changed since I looked"."""

from __future__ import annotations

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from reviews.models import LastSeen
from specs.models import Spec

# One statement that answers what was seen before and records this look; it never moves
# backwards (opening an old version is not catching up). The CTEs share one snapshot, so
# `before` reads the row as it was.
_NOTE = """
WITH before AS (
    SELECT version_number FROM reviews_lastseen WHERE user_id = %(user)s AND spec_id = %(spec)s
), noted AS (
    INSERT INTO reviews_lastseen (user_id, spec_id, version_number, seen_at)
    VALUES (%(user)s, %(spec)s, %(number)s, %(now)s)
    ON CONFLICT (user_id, spec_id) DO UPDATE
    SET version_number = EXCLUDED.version_number, seen_at = EXCLUDED.seen_at
    WHERE reviews_lastseen.version_number < EXCLUDED.version_number
)
SELECT version_number FROM before
"""


def with_last_seen(specs: QuerySet[Spec], user) -> QuerySet[Spec]:
    """Specs with `last_seen`: the version `user` had looked at last (None: never)."""
    return with_last_seen_of(specs, user.pk)


def with_last_seen_of(specs: QuerySet[Spec], user_id) -> QuerySet[Spec]:
    """`with_last_seen` by id: `user_id` may be a statement's placeholder (core.statements)."""
    return specs.annotate(
        last_seen=Subquery(
            LastSeen.objects.filter(spec=OuterRef("pk"), user_id=user_id).values("version_number")[
                :1
            ]
        )
    )


def note_seen(*, user, spec: Spec, version_number: int) -> int | None:
    """Record that `user` looked at this version; returns the version they had seen before."""
    params = {"user": user.pk, "spec": spec.pk, "number": version_number, "now": timezone.now()}
    with connection.cursor() as cursor:
        cursor.execute(_NOTE, params)
        row = cursor.fetchone()
    return row[0] if row else None
