"""Reading reports: `.txt`, `.html` and `.jsonl` files into `Document`s, bad files into errors."""
from orbat.ingest.readers import IngestError, read_documents

__all__ = ["IngestError", "read_documents"]
