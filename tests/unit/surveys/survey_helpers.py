"""Shared helpers for the survey tests: a small valid definition and a fake form."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

# A small but complete survey: about-you, a multi question, a repeated sensitive step.
BASE_TOML = '''
version = 1
title = "Demo"
audience = "adult"

[[steps]]
id = "about_you"
title = "About you"

[[steps.questions]]
id = "age"
type = "single"
text = "How old are you?"
about_person = true
choices = [
  { id = "young", label = "Young" },
  { id = "prefer_not_to_say", label = "Prefer not to say" },
]

[[steps.questions]]
id = "where"
type = "text"
text = "Where?"

[[steps]]
id = "services"
title = "Services"

[[steps.questions]]
id = "services"
type = "multi"
text = "Which services?"
choices = [
  { id = "police", label = "Police" },
  { id = "housing", label = "Housing" },
]

[[steps]]
id = "service"
title = "{choice}"
repeat_for = "services"
sensitive = true
warning = "Gentle warning"

[[steps.questions]]
id = "listened"
type = "single"
text = "Did you feel listened to?"
choices = [
  { id = "yes", label = "Yes" },
  { id = "no", label = "No" },
]

[[steps.questions]]
id = "comments"
type = "text"
text = "Tell us more"
max_length = 10
'''


def write_survey(folder: Path, text: str, name: str = "demo.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def replaced(old: str, new: str, text: str = BASE_TOML) -> str:
    assert old in text, f"test setup: {old!r} not in the base definition"
    return text.replace(old, new, 1)


class FakeForm:
    """The bit of werkzeug's MultiDict that the flow uses."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self.pairs = list(pairs)

    def getlist(self, key: str) -> list[str]:
        return [value for name, value in self.pairs if name == key]
