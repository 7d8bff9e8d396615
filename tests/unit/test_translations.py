"""Polish and Lithuanian are complete, real translations; Urdu covers every survivor page."""

import re

import pytest
from babel.messages.pofile import read_po

from feedback_app.i18n import catalog_path, is_survivor_facing

# Strings that are rightly the same in these languages: place names, numbers, acronyms.
SAME_AS_ENGLISH = {
    "Cambridge City", "East Cambridgeshire", "Fenland", "Huntingdonshire", "Peterborough",
    "South Cambridgeshire", "English", "polski", "lietuvių", "اردو",
}
PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)\}")


def load(locale):
    with catalog_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale)


def strings(message):
    return message.string if isinstance(message.string, tuple) else (message.string,)


def ids(message):
    return message.id if isinstance(message.id, tuple) else (message.id,)


def placeholders(text):
    return {a or b for a, b in PLACEHOLDER.findall(text)}


@pytest.mark.parametrize("locale", ["pl", "lt"])
def test_every_message_is_translated_and_not_fuzzy(locale):
    catalog = load(locale)
    assert len(catalog) > 100
    untranslated = [m.id for m in catalog if m.id and not all(strings(m))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("locale", ["pl", "lt", "ur"])
def test_placeholders_survive_translation(locale):
    catalog = load(locale)
    broken = []
    for message in catalog:
        if not message.id:
            continue
        expected = placeholders(ids(message)[-1])
        for text in strings(message):
            if text and placeholders(text) != expected:
                broken.append((message.id, text))
    assert broken == []
    problems = [(m.id, errors) for m, errors in catalog.check() if errors]
    assert problems == []


@pytest.mark.parametrize("locale", ["pl", "lt"])
def test_plural_forms_are_all_filled(locale):
    catalog = load(locale)
    assert catalog.num_plurals == 3
    plurals = [m for m in catalog if m.id and isinstance(m.id, tuple)]
    assert plurals, "the catalog should use ngettext somewhere"
    for message in plurals:
        assert len(message.string) == 3 and all(message.string), message.id


@pytest.mark.parametrize("locale", ["pl", "lt"])
def test_translations_are_not_english_copied(locale):
    catalog = load(locale)
    same = sorted(m.id for m in catalog if m.id and isinstance(m.id, str) and m.string == m.id)
    assert set(same) <= SAME_AS_ENGLISH, set(same) - SAME_AS_ENGLISH


def test_urdu_covers_every_survivor_facing_message():
    catalog = load("ur")
    survivor = [m for m in catalog if m.id and is_survivor_facing(m)]
    assert len(survivor) > 100
    missing = [m.id for m in survivor if m.fuzzy or not all(strings(m))]
    assert missing == []
    copied = [m.id for m in survivor if isinstance(m.id, str) and m.string == m.id and m.id not in SAME_AS_ENGLISH]
    assert copied == []
