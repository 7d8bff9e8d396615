"""One page of a long list (the audit log, the export log), newest first."""

from __future__ import annotations

from dataclasses import dataclass

from ..extensions import db


@dataclass(frozen=True)
class Page:
    items: list
    page: int
    pages: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(query, page: int, per_page: int, page_class: type[Page] = Page) -> Page:
    """Page ``page`` (from 1; one past the end is an empty page, never an error) of ``query``."""
    result = db.paginate(query, page=max(page, 1), per_page=per_page, error_out=False, count=True)
    return page_class(list(result.items), result.page, max(result.pages, 1), result.total or 0)
