"""The seat queue: conversations escalated to a human seat (bot/seats/models.py).

Revision ID: 0003_seats
Revises: 0002
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_seats"
down_revision = "0002"
branch_labels = None
depends_on = None

OPEN = "status IN ('waiting', 'taken')"


def upgrade() -> None:
    op.create_table(
        "seat_queue",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("waiting_since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_by", sa.String(100)),
        sa.Column("taken_at", sa.DateTime(timezone=True)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("ticket_number", sa.String(20)),
    )
    op.create_index("ix_seat_queue_sender_id", "seat_queue", ["sender_id"])
    op.create_index("ix_seat_queue_status", "seat_queue", ["status"])
    # One open escalation per conversation (a partial index on both SQLite and PostgreSQL).
    op.create_index("uq_seat_queue_open_sender", "seat_queue", ["sender_id"], unique=True,
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def downgrade() -> None:
    op.drop_index("uq_seat_queue_open_sender", table_name="seat_queue")
    op.drop_index("ix_seat_queue_status", table_name="seat_queue")
    op.drop_index("ix_seat_queue_sender_id", table_name="seat_queue")
    op.drop_table("seat_queue")
