"""Service records (bot/office/service_log.py): referrals, knowledge-base answers and unanswered
questions, for the office's statistics and its list of missing knowledge-base entries.

Only a new table: tickets, queue rows and outcomes are untouched.

Revision ID: 0008_service_records
Revises: 0007_co_handlers
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa

revision = "0008_service_records"
down_revision = "0007_co_handlers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "service_records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("citizen", sa.String(64), nullable=False),
        sa.Column("question", sa.Text),
        sa.Column("detail", sa.JSON),
    )
    op.create_index("ix_service_records_kind_at", "service_records", ["kind", "at"])


def downgrade() -> None:
    op.drop_index("ix_service_records_kind_at", table_name="service_records")
    op.drop_table("service_records")
