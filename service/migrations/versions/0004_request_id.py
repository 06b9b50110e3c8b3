"""Idempotent requests: the caller's ``request_id`` in its own column, unique per API key.

A request retried with the same ``request_id`` (by a proxy, a CAD system, a handler pressing
twice; on any replica) is answered with the suggestion already stored and stores nothing new.
The unique index makes that hold across processes and replicas: two concurrent inserts of one
(key, request_id) cannot both commit. NULLs never collide, so requests without an id are
unaffected. Rows stored before this migration keep a NULL here (their ids stay in
``request_json``; old duplicates would otherwise stop the index being built).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("suggestions") as batch:
        batch.add_column(sa.Column("request_id", sa.String(64), nullable=True))
    op.create_index("uq_suggestions_key_request", "suggestions", ["key_name", "request_id"],
                    unique=True)


def downgrade() -> None:
    op.drop_index("uq_suggestions_key_request", table_name="suggestions")
    with op.batch_alter_table("suggestions") as batch:
        batch.drop_column("request_id")
