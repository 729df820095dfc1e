"""Full-text search over what people write in a spec review, only where they may look.

Writers call `index_version` (title and sections of a new version, older ones kept for "in all
versions") and `index_note` (a comment, a decision, a gate N/A reason). `search` answers in one
SQL statement: PostgreSQL full-text search ranked by `ts_rank_cd` over a weighted, generated
tsvector (migration specs 0007), visibility enforced inside the query by the permission
module's own subquery, snippets made by `ts_headline` with markers that are escaped before they
become <mark> in the template, so author text never reaches the page unescaped.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from specs.diffing.fingerprints import line_sections
from specs.models import SearchEntry, SearchKind, Spec, SpecVersion, spec_page_url
from specs.permissions import sees_every_spec, visible_spec_id_lists
from specs.rendering.slugs import Slugger, anchor_for

RESULTS = 20
_WORD = re.compile(r"[\w]+", re.UNICODE)
_START, _STOP = "\x02", "\x03"  # ts_headline markers no author can type into a spec
_ATX = re.compile(r" {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")


def index_version(version: SpecVersion) -> None:
    """Inside the upload's transaction: the spec's title and the new version's sections."""
    spec = version.spec
    SearchEntry.objects.filter(spec=spec, kind=SearchKind.SECTION, is_latest=True).update(
        is_latest=False
    )
    SearchEntry.objects.filter(spec=spec, kind=SearchKind.TITLE).delete()
    now = timezone.now()
    entries = [
        SearchEntry(
            spec=spec,
            kind=SearchKind.TITLE,
            version_number=version.number,
            heading=spec.title[:300],
            created_at=now,
        )
    ]
    for heading, anchor, body in sections_of(version.source):
        entries.append(
            SearchEntry(
                spec=spec,
                kind=SearchKind.SECTION,
                version_number=version.number,
                heading=heading[:300],
                body=body,
                anchor=anchor,
                author=version.uploaded_by,
                created_at=version.uploaded_at or now,
            )
        )
    SearchEntry.objects.bulk_create(entries)


def index_note(
    *, spec: Spec, kind: str, text: str, author, anchor: str, version_number: int | None
) -> None:
    SearchEntry.objects.create(
        spec=spec,
        kind=kind,
        version_number=version_number,
        body=text,
        anchor=anchor,
        author=author,
        created_at=timezone.now(),
    )


def sections_of(source: str) -> list[tuple[str, str, str]]:
    """(heading, page anchor, text) per section, anchors as the renderer makes them."""
    lines = source.split("\n")
    keys = line_sections(lines)
    slugger, anchors = Slugger(), dict[str, str]()
    for line in lines:
        match = _ATX.match(line)
        if match and match.group(1):
            anchors.setdefault(line, anchor_for(slugger.slug(match.group(1))))
    grouped: dict[str, list[str]] = {}
    for line, key in zip(lines, keys, strict=True):
        grouped.setdefault(key, []).append(line)
    result = []
    for body in grouped.values():
        first = body[0]
        match = _ATX.match(first)
        heading = match.group(1) if match else ""
        result.append((heading, anchors.get(first, ""), "\n".join(body)))
    return result


@dataclass(frozen=True)
class Filters:
    state: str = ""
    profile: str = ""
    area: str = ""
    person: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None
    all_versions: bool = False


@dataclass(frozen=True)
class Hit:
    slug: str
    title: str
    state: str
    kind: str
    heading: str
    version_number: int | None
    anchor: str
    snippet: tuple[tuple[str, bool], ...]
    rank: float

    @property
    def url(self) -> str:
        page = spec_page_url(self.slug)
        return f"{page}#{self.anchor}" if self.anchor else page


def tsquery_text(q: str) -> str:
    """Words AND-ed, the last one a prefix (as you type): 'ledger & exp:*'."""
    words = _WORD.findall(q.lower())[:12]
    if not words:
        return ""
    return " & ".join([*words[:-1], f"{words[-1]}:*"])


# Three steps, each over fewer rows (docs/decisions/0013): the matches the user may see are
# ranked without touching specs_spec (the GIN index, partial for the latest entries, finds
# them; spec filters are EXISTS checks only when set); only the top `limit` ranks (with ties,
# so the tie-break by the spec's last update stays exact) are joined to their specs and
# ordered; snippets are made for the page of winners only: ts_headline re-parses a body, far
# too costly for every match of a common word.
_SQL = """
WITH q AS (
    SELECT websearch_to_tsquery('english', %(q)s) || to_tsquery('simple', %(prefix)s) AS query
), ranked AS (
    SELECT e.id, e.spec_id,
           ts_rank_cd(e.document, q.query) * CASE WHEN e.is_latest THEN 1 ELSE 0.5 END AS rank
    FROM specs_searchentry e
    CROSS JOIN q
    WHERE e.document @@ q.query
      AND {visible}
      AND (%(all)s OR e.is_latest)
      AND (%(since)s::date IS NULL OR e.created_at >= %(since)s::date)
      AND (%(until)s::date IS NULL OR e.created_at < %(until)s::date + 1)
      AND (%(state)s = '' AND %(profile)s = '' AND %(area)s = '' AND %(person)s = ''
           OR EXISTS (
            SELECT 1 FROM specs_spec s JOIN specs_profile p ON p.id = s.profile_id
            WHERE s.id = e.spec_id
              AND (%(state)s = '' OR s.state = %(state)s)
              AND (%(profile)s = '' OR p.name = %(profile)s)
              -- The RACI lives in reviews; named as a table, so specs imports nothing of it.
              AND (%(area)s = '' OR EXISTS (
                    SELECT 1 FROM reviews_raciassignment r
                    WHERE r.spec_id = s.id AND r.area = %(area)s))
              AND (%(person)s = '' OR EXISTS (
                    SELECT 1 FROM accounts_user u WHERE u.username = %(person)s
                      AND (u.id = s.author_id OR u.id = e.author_id)))))
    ORDER BY rank DESC
    FETCH FIRST %(limit)s ROWS WITH TIES
), best AS (
    SELECT r.id, s.slug, s.title, s.state, s.updated_at, r.rank
    FROM ranked r JOIN specs_spec s ON s.id = r.spec_id
    ORDER BY r.rank DESC, s.updated_at DESC, r.id
    LIMIT %(limit)s
)
SELECT b.slug, b.title, b.state, e.kind, e.heading, e.version_number, e.anchor,
       ts_headline('english', left(e.body, 20000), q.query,
                   'StartSel=' || chr(2) || ', StopSel=' || chr(3) ||
                   ', MaxFragments=2, MaxWords=18, MinWords=6, FragmentDelimiter=" … "'),
       b.rank
FROM best b JOIN specs_searchentry e ON e.id = b.id CROSS JOIN q
ORDER BY b.rank DESC, b.updated_at DESC, e.id
"""


def search(user, q: str, filters: Filters = Filters(), *, limit: int = RESULTS) -> list[Hit]:
    prefix = tsquery_text(q)
    if not prefix:
        return []
    if sees_every_spec(user):
        # Nothing to check per row: the permission subquery would only cost a scan of every spec.
        visible_sql, visible_params = "TRUE", ()
    else:
        # The grant tables alone, each list hashed once; never a scan of every spec.
        lists = [ids.query.sql_with_params() for ids in visible_spec_id_lists(user)]
        if not lists:
            return []  # signed out or deactivated: nothing to see, nothing to ask
        visible_sql = " OR ".join(f"e.spec_id IN ({sql})" for sql, _ in lists)
        visible_sql = f"({visible_sql})"
        visible_params = tuple(param for _, params in lists for param in params)
    params = {
        "q": q,
        "prefix": prefix,
        "all": filters.all_versions,
        "state": filters.state,
        "profile": filters.profile,
        "area": filters.area,
        "person": filters.person,
        "since": filters.since,
        "until": filters.until,
        "limit": limit,
    }
    sql, named = _inline(visible_sql, visible_params, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, named)
        rows = cursor.fetchall()
    return [_hit(row) for row in rows]


def _inline(visible_sql: str, visible_params: tuple, params: dict) -> tuple[str, dict]:
    """The permission subquery's positional parameters, renamed to join our named ones."""
    names = [f"v{i}" for i in range(len(visible_params))]
    parts = visible_sql.split("%s")
    visible = parts[0] + "".join(f"%({n})s{part}" for n, part in zip(names, parts[1:], strict=True))
    return _SQL.format(visible=visible), {**params, **dict(zip(names, visible_params, strict=True))}


def _hit(row) -> Hit:
    slug, title, state, kind, heading, number, anchor, snippet, rank = row
    return Hit(slug, title, state, kind, heading, number, anchor, _marked(snippet or ""), rank)


def _marked(snippet: str) -> tuple[tuple[str, bool], ...]:
    """(text, matched) pieces: the template escapes every piece and wraps matches in <mark>,
    so nothing here is ever marked safe."""
    pieces: list[tuple[str, bool]] = []
    for index, part in enumerate(re.split(f"[{_START}{_STOP}]", snippet)):
        if part:
            pieces.append((part, index % 2 == 1))
    return tuple(pieces)
