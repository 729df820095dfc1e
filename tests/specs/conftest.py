import pytest

from specs import actions
from specs.models import Profile

SIMPLE_SPEC = b"""# Payments retry service

## Context

Retries failed card payments with backoff.

## Design

```mermaid
flowchart LR
  A[Payment failed] --> B[Retry queue]
```
"""


@pytest.fixture
def author(make_user):
    return make_user("author", first_name="Aisha", last_name="Okafor")


@pytest.fixture
def generic_profile(db):
    return Profile.objects.get(name="generic")


@pytest.fixture
def make_spec(author, generic_profile):
    def make(slug="payments-retry", *, data=SIMPLE_SPEC, owner=None, profile=None):
        spec = actions.create_spec(
            title=slug.replace("-", " ").title(),
            slug=slug,
            profile=profile or generic_profile,
            author=owner or author,
        )
        actions.upload_version(spec=spec, data=data, uploaded_by=owner or author, note="first")
        spec.refresh_from_db()
        return spec

    return make
