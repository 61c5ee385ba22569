"""Knowledge-base upkeep (bot/knowledge/editorial): proposals of departments and the office's
decisions (kb_proposals), and every published text of an entry (kb_versions).

Only new tables: nothing else is touched.

Revision ID: 0009_knowledge_upkeep
Revises: 0008_service_records
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_knowledge_upkeep"
down_revision = "0008_service_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_proposals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entry_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("owner", sa.String(40)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("base", sa.JSON),
        sa.Column("origin", sa.JSON),
        sa.Column("note", sa.Text),
        sa.Column("proposed_by", sa.String(100), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.String(100)),
        sa.Column("reviewed_at", sa.DateTime(timezone=True)),
        sa.Column("reason", sa.Text),
    )
    op.create_index("ix_kb_proposals_entry_id", "kb_proposals", ["entry_id"])
    op.create_index("ix_kb_proposals_owner", "kb_proposals", ["owner"])
    op.create_index("ix_kb_proposals_status", "kb_proposals", ["status"])
    op.create_table(
        "kb_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entry_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("file", sa.String(200), nullable=False),
        sa.Column("proposal_id", sa.Integer),
        sa.Column("proposed_by", sa.String(100), nullable=False),
        sa.Column("approved_by", sa.String(100)),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("uq_kb_versions_entry_version", "kb_versions", ["entry_id", "version"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_kb_versions_entry_version", table_name="kb_versions")
    op.drop_table("kb_versions")
    for name in ("status", "owner", "entry_id"):
        op.drop_index(f"ix_kb_proposals_{name}", table_name="kb_proposals")
    op.drop_table("kb_proposals")
