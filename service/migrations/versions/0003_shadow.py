"""Shadow running: the suggestion of a second, registered model beside the serving one.

Written after the serving record is committed (off the request's path), so a record without a
shadow suggestion is one the shadow has not scored (not started with one, or dropped under load).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("suggestions") as batch:
        batch.add_column(sa.Column("shadow_version", sa.String(128), nullable=True))
        batch.add_column(sa.Column("shadow_suggestion", sa.String(32), nullable=True))
        batch.add_column(sa.Column("shadow_model_suggestion", sa.String(32), nullable=True))
        batch.add_column(sa.Column("shadow_probabilities_json", sa.Text(), nullable=True))
        batch.add_column(sa.Column("shadow_red_flags_json", sa.Text(), nullable=True))
        batch.add_column(sa.Column("shadow_unfamiliar_wording", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("shadow_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("suggestions") as batch:
        for name in ("shadow_at", "shadow_unfamiliar_wording", "shadow_red_flags_json",
                     "shadow_probabilities_json", "shadow_model_suggestion",
                     "shadow_suggestion", "shadow_version"):
            batch.drop_column(name)
