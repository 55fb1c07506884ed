"""orbat: from war reporting to evidence: extract, ledger, estimate, simulate, show."""
from orbat.extract import extract  # the function, bound over the subpackage's name on purpose
from orbat.types import Document, Estimate, Quantity, Statement

__version__ = "0.1.0"
__all__ = ["Document", "Estimate", "Quantity", "Statement", "extract", "Ledger", "__version__"]


def __getattr__(name):  # keep `import orbat` light: the ledger loads on first use
    if name == "Ledger":
        from orbat.ledger import Ledger
        return Ledger
    raise AttributeError(name)
