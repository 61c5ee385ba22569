"""The restriction list: callers restricted from the hotline for abuse (bot/restrictions/models.py).

Only a new table: existing tickets and seat queue rows are untouched. The restricted number or id is
kept as a SHA-256 digest and a masked form for people, never in clear.

Revision ID: 0004_restrictions
Revises: 0003_seats
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa

revision = "0004_restrictions"
down_revision = "0003_seats"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "restrictions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("value_digest", sa.String(64), nullable=False),
        sa.Column("shown", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted_by", sa.String(100)),
        sa.Column("lifted_at", sa.DateTime(timezone=True)),
        sa.Column("lift_reason", sa.Text),
    )
    op.create_index("ix_restrictions_kind_value_digest", "restrictions", ["kind", "value_digest"])


def downgrade() -> None:
    op.drop_index("ix_restrictions_kind_value_digest", table_name="restrictions")
    op.drop_table("restrictions")
