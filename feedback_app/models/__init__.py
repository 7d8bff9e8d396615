"""Database models. Survivor answers are only ever stored as ciphertext."""

from .response import COLLECTION_MODES, Response

__all__ = ["COLLECTION_MODES", "Response"]
