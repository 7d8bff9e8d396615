"""The support worker's 1:1 evaluation mode, for tablets."""

from . import routes  # noqa: F401  (each registers its views on ``bp``)
from .blueprint import bp

__all__ = ["bp"]
