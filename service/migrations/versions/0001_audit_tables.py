"""The audit tables: every suggestion and every recorded outcome.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_name", sa.String(64), nullable=False),
        sa.Column("model_version", sa.String(128), nullable=False),
        sa.Column("request_json", sa.Text(), nullable=False),
        sa.Column("suggestion", sa.String(32), nullable=False),
        sa.Column("model_suggestion", sa.String(32), nullable=False),
        sa.Column("overridden", sa.Boolean(), nullable=False),
        sa.Column("probabilities_json", sa.Text(), nullable=False),
        sa.Column("red_flags_json", sa.Text(), nullable=False),
        sa.Column("reasons_json", sa.Text(), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("batch_id", sa.String(36), nullable=True),
    )
    op.create_index("ix_suggestions_created_at", "suggestions", ["created_at"])
    op.create_table(
        "outcomes",
        sa.Column(
            "suggestion_id",
            sa.String(36),
            sa.ForeignKey("suggestions.id", name="fk_outcomes_suggestion"),
            primary_key=True,
        ),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_name", sa.String(64), nullable=False),
        sa.Column("final_disposition", sa.String(32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("outcomes")
    op.drop_index("ix_suggestions_created_at", table_name="suggestions")
    op.drop_table("suggestions")
