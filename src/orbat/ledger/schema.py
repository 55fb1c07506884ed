"""The ledger's tables at the head migration (SQLAlchemy Core), used by queries and inserts.

Migrations in ``migrations/versions`` create these; keep the two in step when the schema changes.
"""
from __future__ import annotations

from sqlalchemy import (Boolean, Column, Date, DateTime, Float, ForeignKey, Integer, MetaData,
                        String, Table, Text)

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("id", String(16), primary_key=True),
    Column("url", Text), Column("title", Text), Column("outlet", Text),
    Column("published", Date, index=True), Column("language", String(16)),
    Column("path", Text),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("text", Text, nullable=False),
    Column("extractor_version", String(32), nullable=False),
    Column("name", Text, index=True),  # the id it was ingested with (file name, JSONL id)
)

sources = Table(
    "sources", metadata,
    Column("id", String(16), primary_key=True),
    Column("name", Text, nullable=False),
    Column("normalised", Text, nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
)

origins = Table(
    "origins", metadata,
    Column("id", String(16), primary_key=True),
    Column("source_norm", Text), Column("value", Float), Column("low", Float),
    Column("high", Float), Column("measure", String(32)), Column("actor", Text),
    Column("unit", String(32)), Column("per", String(8)),
)

quantities = Table(
    "quantities", metadata,
    Column("id", String(40), primary_key=True),
    Column("doc_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("span_start", Integer, nullable=False), Column("span_end", Integer, nullable=False),
    Column("sentence_start", Integer), Column("sentence_end", Integer),
    Column("text", Text, nullable=False),
    Column("value", Float), Column("low", Float), Column("high", Float),
    Column("bound", String(16)), Column("unit", String(32)), Column("stated_unit", Text),
    Column("per", String(8)), Column("actor", Text, index=True),
    Column("measure", String(32), index=True), Column("location", Text),
    Column("source_id", String(16), ForeignKey("sources.id"), index=True),
    Column("evidential", String(16)), Column("modality", String(16)),
    Column("likelihood_low", Float), Column("likelihood_high", Float),
    Column("extractor_version", String(32), nullable=False),
    Column("origin_id", String(16), index=True),
)

statements = Table(
    "statements", metadata,
    Column("id", String(40), primary_key=True),
    Column("doc_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("span_start", Integer, nullable=False), Column("span_end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("cue", Text), Column("cue_start", Integer), Column("cue_end", Integer),
    Column("source_id", String(16), ForeignKey("sources.id"), index=True),
    Column("evidential", String(16)), Column("modality", String(16)),
    Column("negated", Boolean, nullable=False),
    Column("likelihood_low", Float), Column("likelihood_high", Float),
    Column("via", Text),
    Column("extractor_version", String(32), nullable=False),
)
