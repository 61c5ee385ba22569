"""Ticket lifecycle: dispatch, extension, return, reply, close, rating, follow-ups, optimistic locking.

Only adds nullable or defaulted columns and indexes, so existing tickets keep every value; the
department id of tickets opened before this revision is filled in from the router's suggestion
recorded in their "opened" event.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NEW_COLUMNS = (
    ("department_id", sa.String(40)),
    ("dispatched_at", sa.DateTime(timezone=True)),
    ("replied_at", sa.DateTime(timezone=True)),
    ("closed_at", sa.DateTime(timezone=True)),
    ("answer", sa.Text),
    ("satisfaction", sa.String(20)),
)


def upgrade() -> None:
    # Batch mode: on SQLite the foreign key needs the table rebuilt (Alembic copies every row);
    # PostgreSQL gets plain ALTER TABLE statements.
    with op.batch_alter_table("tickets") as batch:
        for name, kind in NEW_COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
        batch.add_column(sa.Column("extended_days", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("redo_count", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
        batch.add_column(sa.Column("follow_up_of_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_tickets_follow_up_of_id", "tickets", ["follow_up_of_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_index("ix_tickets_department_id", ["department_id"])
        batch.create_index("ix_tickets_contact_phone", ["contact_phone"])
        batch.create_index("ix_tickets_follow_up_of_id", ["follow_up_of_id"])
    _backfill_department_ids()


def _backfill_department_ids() -> None:
    """Read in Python rather than with JSON SQL functions, which differ between the two backends."""
    bind = op.get_bind()
    events = sa.table("ticket_events", sa.column("ticket_id", sa.Integer), sa.column("action", sa.String),
                      sa.column("detail", sa.JSON))
    tickets = sa.table("tickets", sa.column("id", sa.Integer), sa.column("department_id", sa.String))
    rows = bind.execute(sa.select(events.c.ticket_id, events.c.detail).where(events.c.action == "opened"))
    for ticket_id, detail in rows.all():
        dept_id = (((detail or {}).get("routing") or {}).get("department") or {}).get("id")
        if dept_id:
            bind.execute(sa.update(tickets).where(tickets.c.id == ticket_id).values(department_id=str(dept_id)[:40]))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_index("ix_tickets_follow_up_of_id")
        batch.drop_index("ix_tickets_contact_phone")
        batch.drop_index("ix_tickets_department_id")
        batch.drop_constraint("fk_tickets_follow_up_of_id", type_="foreignkey")
        for name in ("follow_up_of_id", "version", "redo_count", "extended_days", *(n for n, _ in NEW_COLUMNS)):
            batch.drop_column(name)
