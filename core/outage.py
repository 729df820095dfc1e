import django.db
import psycopg
import psycopg_pool


def is_database_outage(exc: BaseException) -> bool:
    """True for failures that mean "PostgreSQL cannot be reached", not bugs in our SQL."""
    outage_types = (
        django.db.OperationalError,
        django.db.InterfaceError,
        psycopg.OperationalError,
        psycopg_pool.PoolTimeout,
    )
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, outage_types):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
