from speclint import lint_text
from speclint.catalog import profile_resource
from speclint.policy import builtin_policy, numbered_sections


def test_backend_pack_topics_cite_real_manifesto_sections():
    sections = numbered_sections(profile_resource("backend-policy.md"))
    assert sections["1"].startswith("API Versioning Contract & Rate Limiting")
    assert sections["14"].startswith("DLQ Governance")
    policy = builtin_policy("backend")
    names = {topic.name for topic in policy.topics}
    for expected in (
        "API versioning",
        "rate limiting",
        "RFC 7807 problem details",
        "idempotency",
        "cursor pagination",
        "health checks",
        "observability",
        "graceful shutdown",
        "dead-letter queues",
        "audit fields",
        "soft deletion",
    ):
        assert expected in names


def test_unaddressed_topics_are_warnings_on_line_1_naming_topic_and_section():
    result = lint_text("# Spec\n\nWe add an idempotency key to every POST.\n", policy="backend")
    topics = [f for f in result.findings if f.rule == "policy-topic"]
    assert all(f.line == 1 and f.severity == "warning" for f in topics)
    assert not any("'idempotency'" in f.message for f in topics)
    rate = next(f for f in topics if "'rate limiting'" in f.message)
    assert "§1 API Versioning Contract & Rate Limiting" in rate.message


def test_no_policy_no_policy_findings():
    assert lint_text("# Spec\n\nText.\n").findings == ()
