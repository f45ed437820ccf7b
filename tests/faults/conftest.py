"""Fault tests share the contract suite's PostgreSQL fixtures: a fresh, migrated schema per
test (skipped with the reason printed when no server answers, unless REQUIRE_POSTGRES=1)."""

from tests.contract.conftest import postgres_server, postgres_url

__all__ = ["postgres_server", "postgres_url"]
