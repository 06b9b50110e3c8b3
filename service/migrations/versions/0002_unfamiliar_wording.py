"""Unfamiliar wording: whether the model knew the narrative's words, and why not.

Records written before this migration get ``unfamiliar_wording = false`` and no reason: the
service did not compute it then, which the audit reads as "not flagged".

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("suggestions") as batch:
        batch.add_column(
            sa.Column(
                "unfamiliar_wording", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch.add_column(sa.Column("unfamiliar_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("suggestions") as batch:
        batch.drop_column("unfamiliar_reason")
        batch.drop_column("unfamiliar_wording")
