"""core.statements: a QuerySet compiled once on placeholders reads what the QuerySet reads."""

import pytest
from django.contrib.postgres.fields import ArrayField
from django.db.models import BigIntegerField, CharField, Exists, OuterRef

from core.statements import IsIn, Placeholder, Statement
from specs.models import Spec

pytestmark = pytest.mark.django_db


def by_author(author, order="slug"):
    return Spec.objects.filter(author=author).order_by(order).values("slug", "author__username")


def test_rows_are_the_querysets_rows_for_each_binding(make_spec, people, django_assert_num_queries):
    make_spec("one", owner=people["aisha"])
    make_spec("two", owner=people["aisha"])
    make_spec("three", owner=people["jonas"])
    statement = Statement(lambda order, author: by_author(author, order), author=BigIntegerField())
    for person in ("aisha", "jonas", "outsider"):
        for order in ("slug", "-slug"):
            with django_assert_num_queries(1):
                rows = statement.rows(order, author=people[person].pk)
            assert rows == list(by_author(people[person], order))
    assert set(statement._compiled) == {("slug",), ("-slug",)}  # one compilation per shape
    assert statement.sql("slug") == statement.sql("slug") and "%s" in statement.sql("slug")
    assert statement.count("slug", author=people["aisha"].pk) == 2


def test_the_builder_sees_placeholders_never_values(make_spec, people):
    make_spec("one", owner=people["aisha"])
    seen = []

    def build(author):
        seen.append(repr(author))
        return by_author(author)

    statement = Statement(build, author=BigIntegerField())
    statement.rows(author=people["aisha"].pk)
    statement.rows(author=people["jonas"].pk)
    assert seen == ["Placeholder('author')"]  # built once, on a placeholder


def test_a_list_is_one_array_parameter(make_spec):
    ids = [make_spec(slug).pk for slug in ("one", "two", "three")]
    statement = Statement(
        lambda ids: Spec.objects.filter(IsIn("pk", ids)).order_by("pk").values("slug"),
        ids=ArrayField(BigIntegerField()),
    )
    assert [r["slug"] for r in statement.rows(ids=ids[:2])] == ["one", "two"]
    assert statement.rows(ids=[]) == []
    assert statement.rows(ids=[*ids, ids[0]]) == [{"slug": s} for s in ("one", "two", "three")]


def test_placeholders_work_inside_subqueries(make_spec, people):
    make_spec("one", owner=people["aisha"])
    mine = Spec.objects.filter(pk=OuterRef("pk"), author=OuterRef("author"))
    statement = Statement(
        lambda author: Spec.objects.filter(Exists(mine.filter(author_id=author))).values("slug"),
        author=BigIntegerField(),
    )
    assert statement.rows(author=people["aisha"].pk) == [{"slug": "one"}]
    assert statement.rows(author=people["jonas"].pk) == []


def test_case_insensitive_lookups_take_a_placeholder(make_spec):
    make_spec("ledger-export")
    make_spec("other")
    statement = Statement(
        lambda exact, part: (
            Spec.objects.filter(slug__iexact=exact, title__icontains=part)
            .order_by("slug")
            .values("slug")
        ),
        exact=CharField(),
        part=CharField(),
    )
    for exact, part in (("LEDGER-export", "DGER"), ("ledger-export", "x"), ("OTHER", "%")):
        expected = Spec.objects.filter(slug__iexact=exact, title__icontains=part)
        assert statement.rows(exact=exact, part=part) == list(expected.values("slug"))
    assert statement.rows(exact="other", part="%") == []  # a LIKE wildcard is text


def test_a_placeholder_is_never_text():
    # A lookup that escaped its value as text while compiling would freeze the slot in the SQL.
    with pytest.raises(TypeError, match="placeholder 'name'"):
        str(Placeholder("name", CharField()).as_sql(None, None)[1][0])


def test_model_instances_are_refused():
    statement = Statement(lambda: Spec.objects.all())
    with pytest.raises(TypeError):
        statement.rows()


def test_columns_are_converted_as_the_queryset_converts_them(make_spec, people):
    from core.models import AuditEvent

    spec = make_spec("one", owner=people["aisha"])
    events = AuditEvent.objects.order_by("pk").values("verb", "data", "at", "spec_id")
    statement = Statement(lambda spec: events.filter(spec_id=spec), spec=BigIntegerField())
    statement.rows(spec=spec.pk)  # compiled
    assert statement._compiled[()].converters  # the JSON column has one
    assert statement.rows(spec=spec.pk) == list(events.filter(spec_id=spec.pk)) != []
