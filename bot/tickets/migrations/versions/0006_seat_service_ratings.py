"""Citizens' ratings of a seat's service after a hand-off (bot/tickets/seat_ratings.py).

Only a new table: queue rows, outcomes and tickets are untouched. One rating per queue entry.

Revision ID: 0006_seat_service_ratings
Revises: 0005_seat_outcomes
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa

revision = "0006_seat_service_ratings"
down_revision = "0005_seat_outcomes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seat_service_ratings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("queue_id", sa.Integer, sa.ForeignKey("seat_queue.id", ondelete="CASCADE"), nullable=False),
        sa.Column("seat", sa.String(100)),
        sa.Column("rating", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("uq_seat_service_ratings_queue_id", "seat_service_ratings", ["queue_id"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_seat_service_ratings_queue_id", table_name="seat_service_ratings")
    op.drop_table("seat_service_ratings")
