"""Seat outcomes: how a seat closed a conversation it held (bot/seats/outcomes.py).

Only a new table: seat_queue rows are untouched. One outcome per queue entry (a seat may correct
it, which updates the row); the labels live in settings/seats.yml, the table stores the code.

Revision ID: 0005_seat_outcomes
Revises: 0004_restrictions
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_seat_outcomes"
down_revision = "0004_restrictions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seat_outcomes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("queue_id", sa.Integer, sa.ForeignKey("seat_queue.id", ondelete="CASCADE"), nullable=False),
        sa.Column("seat", sa.String(100), nullable=False),
        sa.Column("outcome", sa.String(30), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("uq_seat_outcomes_queue_id", "seat_outcomes", ["queue_id"], unique=True)
    op.create_index("ix_seat_outcomes_seat_marked_at", "seat_outcomes", ["seat", "marked_at"])


def downgrade() -> None:
    op.drop_index("ix_seat_outcomes_seat_marked_at", table_name="seat_outcomes")
    op.drop_index("uq_seat_outcomes_queue_id", table_name="seat_outcomes")
    op.drop_table("seat_outcomes")
