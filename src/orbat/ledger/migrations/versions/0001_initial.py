"""Initial ledger: documents, sources, quantities and statements.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("url", sa.Text), sa.Column("title", sa.Text), sa.Column("outlet", sa.Text),
        sa.Column("published", sa.Date), sa.Column("language", sa.String(16)),
        sa.Column("path", sa.Text),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("extractor_version", sa.String(32), nullable=False),
    )
    op.create_index("ix_documents_published", "documents", ["published"])
    op.create_table(
        "sources",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("normalised", sa.Text, nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
    )
    op.create_table(
        "quantities",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("doc_id", sa.String(16), sa.ForeignKey("documents.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("sentence_start", sa.Integer), sa.Column("sentence_end", sa.Integer),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("value", sa.Float), sa.Column("low", sa.Float), sa.Column("high", sa.Float),
        sa.Column("bound", sa.String(16)), sa.Column("unit", sa.String(32)),
        sa.Column("stated_unit", sa.Text), sa.Column("per", sa.String(8)),
        sa.Column("actor", sa.Text), sa.Column("measure", sa.String(32)),
        sa.Column("location", sa.Text),
        sa.Column("source_id", sa.String(16), sa.ForeignKey("sources.id")),
        sa.Column("evidential", sa.String(16)), sa.Column("modality", sa.String(16)),
        sa.Column("likelihood_low", sa.Float), sa.Column("likelihood_high", sa.Float),
        sa.Column("extractor_version", sa.String(32), nullable=False),
    )
    for col in ("doc_id", "actor", "measure", "source_id"):
        op.create_index(f"ix_quantities_{col}", "quantities", [col])
    op.create_table(
        "statements",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("doc_id", sa.String(16), sa.ForeignKey("documents.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("cue", sa.Text), sa.Column("cue_start", sa.Integer),
        sa.Column("cue_end", sa.Integer),
        sa.Column("source_id", sa.String(16), sa.ForeignKey("sources.id")),
        sa.Column("evidential", sa.String(16)), sa.Column("modality", sa.String(16)),
        sa.Column("negated", sa.Boolean, nullable=False),
        sa.Column("likelihood_low", sa.Float), sa.Column("likelihood_high", sa.Float),
        sa.Column("via", sa.Text),
        sa.Column("extractor_version", sa.String(32), nullable=False),
    )
    for col in ("doc_id", "source_id"):
        op.create_index(f"ix_statements_{col}", "statements", [col])


def downgrade() -> None:
    for table in ("statements", "quantities", "sources", "documents"):
        op.drop_table(table)
