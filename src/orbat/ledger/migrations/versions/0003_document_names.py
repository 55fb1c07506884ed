"""Documents keep the name they were ingested with (file name, or the JSONL ``id``).

Stored ids are text hashes; ``name`` lets ``orbat show r01`` find a report by the id a user
gave it. Nullable: documents ingested before this revision have none.

Revision ID: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("name", sa.Text, nullable=True))
    op.create_index("ix_documents_name", "documents", ["name"])


def downgrade() -> None:
    op.drop_index("ix_documents_name", "documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("name")
