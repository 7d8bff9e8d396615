"""Public survivor pages: the landing page, staying safe online, the privacy notice and
accessibility statement, “You said, we did” (published statements), each survey's pages
(run by ``survey_pages``) and the quick exit's beacon. No sign-in, nothing stored before
"Send my answers"."""

from . import routes  # noqa: F401  (registers the views on ``bp``)
from .blueprint import bp

__all__ = ["bp"]
