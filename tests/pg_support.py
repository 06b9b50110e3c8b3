"""A fresh PostgreSQL schema on the test server (TRIAGE_TEST_PG_URL), for tests that need the
shared store. Without the variable the test FAILS, never skips (see tests/test_store_pg.py)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import pytest
import sqlalchemy as sa


@contextmanager
def pg_schema_url() -> Iterator[str]:
    """A ``postgresql://`` URL whose search_path is a new schema, dropped afterwards."""
    base = os.environ.get("TRIAGE_TEST_PG_URL")
    if not base:
        pytest.fail(
            "TRIAGE_TEST_PG_URL is not set: these tests need a PostgreSQL server. Run them "
            "under 'bash scripts/with-test-postgres.sh' (make test does this)."
        )
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    url = base.replace("postgresql+psycopg://", "postgresql://", 1)
    try:
        yield f"{url}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
        admin.dispose()
