"""The coordinators' codebook: themes that free-text comments are coded into.

Themes and keyword rules are written by staff, not survivors, so they are stored in the
clear. A theme is either general (``service`` is NULL) or about one service (a service key
such as ``"services.police"``), and either says what helped or what could improve.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .account import utcnow

THEME_KINDS = ("helpful", "improvement")
RULE_LANGUAGES = ("en", "pl", "lt")


class Theme(db.Model):
    __tablename__ = "themes"
    __table_args__ = (CheckConstraint("kind IN ('helpful', 'improvement')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # A service key ("services.police", "supporters.school") or NULL for a general theme.
    service: Mapped[str | None] = mapped_column(String(60), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    rules: Mapped[list[ThemeRule]] = relationship(
        back_populates="theme", cascade="all, delete-orphan", order_by="ThemeRule.id"
    )


class ThemeRule(db.Model):
    """A keyword that suggests a theme for a comment written in ``language``."""

    __tablename__ = "theme_rules"
    __table_args__ = (UniqueConstraint("theme_id", "language", "keyword", name="one_keyword"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    keyword: Mapped[str] = mapped_column(String(120))

    theme: Mapped[Theme] = relationship(back_populates="rules")
