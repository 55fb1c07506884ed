"""Same-origin groups: an ``origins`` table and ``quantities.origin_id``, back-filled.

Quantities repeating one claim (same normalised source, value, bounds, measure, actor, unit,
rate) share an origin; existing rows are grouped here so an upgraded ledger loses nothing.

Revision ID: 0002
"""
import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _origin_id(key: list) -> str:
    """Frozen copy of ``orbat.ledger.origins.origin_id`` as of this revision."""
    return hashlib.sha256(json.dumps(key).encode()).hexdigest()[:16]


def _num(value):
    return None if value is None else float(value)


def upgrade() -> None:
    origins = op.create_table(
        "origins",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("source_norm", sa.Text), sa.Column("value", sa.Float),
        sa.Column("low", sa.Float), sa.Column("high", sa.Float),
        sa.Column("measure", sa.String(32)), sa.Column("actor", sa.Text),
        sa.Column("unit", sa.String(32)), sa.Column("per", sa.String(8)),
    )
    op.add_column("quantities", sa.Column("origin_id", sa.String(16)))
    op.create_index("ix_quantities_origin_id", "quantities", ["origin_id"])

    meta = sa.MetaData()
    q = sa.Table("quantities", meta, autoload_with=op.get_bind())
    s = sa.Table("sources", meta, autoload_with=op.get_bind())
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(q.c.id, s.c.normalised, q.c.value, q.c.low, q.c.high, q.c.measure, q.c.actor,
                  q.c.unit, q.c.per).select_from(q.outerjoin(s, q.c.source_id == s.c.id))
    ).all()
    groups: dict[str, dict] = {}
    for row in rows:
        key = [row.normalised, _num(row.value), _num(row.low), _num(row.high), row.measure,
               row.actor, row.unit, row.per]
        oid = _origin_id(key)
        groups.setdefault(oid, dict(id=oid, source_norm=row.normalised, value=row.value,
                                    low=row.low, high=row.high, measure=row.measure,
                                    actor=row.actor, unit=row.unit, per=row.per))
        bind.execute(sa.update(q).where(q.c.id == row.id).values(origin_id=oid))
    if groups:
        bind.execute(sa.insert(origins), list(groups.values()))


def downgrade() -> None:
    op.drop_index("ix_quantities_origin_id", "quantities")
    with op.batch_alter_table("quantities") as batch:
        batch.drop_column("origin_id")
    op.drop_table("origins")
