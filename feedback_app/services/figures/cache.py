"""A small in-process cache of computed figures, one per application.

Keys include the responses' stamp (``stamp.py``), which the database moves on whenever a
response is added, deleted or changed, so the next request computes afresh: nothing needs
to be told to invalidate it, in this process or any other.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

EXTENSION_KEY = "feedback_aggregate_cache"
DEFAULT_SIZE = 4096  # query-set control reads many small views (query_sets.py)

T = TypeVar("T")


class LRUCache:
    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.dependents: list[LRUCache] = []

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]  # type: ignore[return-value]
            self.misses += 1
        value = compute()  # outside the lock: two requests may both compute; both are right
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Empty this cache and those holding what was worked out from it (``dependents``)."""
        with self._lock:
            self._items.clear()
        for dependent in self.dependents:
            dependent.clear()

    def __len__(self) -> int:
        return len(self._items)


def aggregate_cache() -> LRUCache:
    cache = current_app.extensions.get(EXTENSION_KEY)
    if cache is None:
        cache = current_app.extensions.setdefault(
            EXTENSION_KEY, LRUCache(current_app.config.get("AGGREGATE_CACHE_SIZE", DEFAULT_SIZE))
        )
    return cache
