"""Co-handling departments (协办单位) of a ticket, beside its lead (the department).

Only a nullable column: existing tickets keep every value and read as having no co-handler.

Revision ID: 0007_co_handlers
Revises: 0006_seat_service_ratings
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_co_handlers"
down_revision = "0006_seat_service_ratings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column needs no table rebuild: plain ALTER TABLE ... ADD COLUMN on both backends.
    op.add_column("tickets", sa.Column("co_departments", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("co_departments")
