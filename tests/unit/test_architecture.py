"""Rules of the package's layout (DESIGN §2), checked on the import statements themselves
so that a newcomer's first shortcut fails a test instead of a review.

Layers go one way down: blueprints → services (by domain) → models / crypto / surveys.
Within services, sealed values are opened in few places: response answers and facts only in
the sealed-response store, and figures only ever see facts.
"""

from __future__ import annotations

import pytest

from feedback_app.services.responses.store import FACT_READERS
from tests.helpers.imports import PACKAGE, PACKAGE_DIR, Import, Module, cycles, read_graph, reachable

GRAPH = read_graph()
BLUEPRINTS = ("admin", "auth", "coordinator", "survivor", "worker")
# The one module of ``auth`` that every blueprint uses: role checks and role names.
SHARED_FROM_AUTH = f"{PACKAGE}.auth.access"
BASE_MODULES = ("config", "extensions", "security", "htmx", "i18n", "logs", "errors")
# The packages that make pages: the blueprints, the survey runner and the shared staff forms.
FACES = (*BLUEPRINTS, "survey_pages", "staff_forms")
CRYPTO = f"{PACKAGE}.crypto"
STORE = f"{PACKAGE}.services.responses.store"
# The only service modules that import ``crypto``: the sealed-response store, the keyring,
# other sealed texts (glosses, quotes), key rotation, and the TOTP secret.
CRYPTO_IN_SERVICES = {
    STORE,
    f"{PACKAGE}.services.responses.keyring",
    f"{PACKAGE}.services.responses.sealed_text",
    f"{PACKAGE}.services.responses.key_rotation",
    f"{PACKAGE}.services.staff.two_factor",
}
# What figures may use of ``responses`` besides the store's fact readers: the token format.
FIGURES_FROM_RESPONSES = {f"{PACKAGE}.services.responses.facts"}


def _in(name: str, package: str) -> bool:
    full = f"{PACKAGE}.{package}"
    return name == full or name.startswith(full + ".")


def _modules_in(package: str) -> list[Module]:
    return [m for m in GRAPH.values() if _in(m.name, package)]


def _offences(modules, forbidden) -> list[str]:
    return [
        f"{m.path.relative_to(PACKAGE_DIR.parent)}:{i.line} imports {i.target}"
        for m in modules
        for i in m.imports
        if forbidden(i)
    ]


def test_the_graph_is_read_from_every_module():
    # A guard for the rules below: they would pass vacuously on an empty graph.
    assert len(GRAPH) > 60
    assert f"{PACKAGE}.services.responses.submissions" in GRAPH
    assert STORE in GRAPH
    assert any(i.target == f"{PACKAGE}.auth.access" for i in GRAPH[f"{PACKAGE}.coordinator.routes"].imports)


def test_there_is_no_import_cycle():
    assert cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_cycle():
    looped = read_graph()
    a, b = f"{PACKAGE}.htmx", f"{PACKAGE}.logs"
    looped[a].imports.append(_import(b))
    looped[b].imports.append(_import(a))
    assert [a, b] in cycles(looped)


def _import(target: str) -> Import:
    return Import(target, ("*",), 0)


def test_security_imports_nothing_of_ours():
    assert GRAPH[f"{PACKAGE}.security"].imports == []


@pytest.mark.parametrize("base", BASE_MODULES)
def test_base_modules_import_no_blueprint_and_no_service(base):
    below = reachable(GRAPH, f"{PACKAGE}.{base}")
    assert not [name for name in below if _in(name, "services") or any(_in(name, bp) for bp in BLUEPRINTS)]


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_no_blueprint_imports_another(blueprint):
    def forbidden(i):
        others = [bp for bp in BLUEPRINTS if bp != blueprint]
        return any(_in(i.target, other) for other in others) and i.target != SHARED_FROM_AUTH

    assert _offences(_modules_in(blueprint), forbidden) == []


def test_services_import_no_blueprint():
    assert _offences(_modules_in("services"), lambda i: any(_in(i.target, f) for f in FACES)) == []


@pytest.mark.parametrize("face", FACES)
def test_views_never_import_crypto(face):
    # A view catches what a service raises (e.g. ``quotes.Unreadable``), never a CryptoError.
    assert _modules_in(face)
    assert _offences(_modules_in(face), lambda i: _in(i.target, "crypto")) == []


def test_within_services_only_the_store_and_key_modules_import_crypto():
    importers = {m.name for m in _modules_in("services") if any(_in(i.target, "crypto") for i in m.imports)}
    assert STORE in importers
    assert importers <= CRYPTO_IN_SERVICES, sorted(importers - CRYPTO_IN_SERVICES)


def test_within_services_only_those_modules_use_the_keyring():
    # The keyring opens anything: a service that may not import crypto may not reach round it.
    keyring = f"{PACKAGE}.services.responses.keyring"
    users = {m.name for m in _modules_in("services") if any(i.target == keyring for i in m.imports)}
    assert STORE in users
    assert users <= CRYPTO_IN_SERVICES, sorted(users - CRYPTO_IN_SERVICES)


def _opens_free_text(i: Import) -> bool:
    """An import that figures may not make: anything that can open a response's answers or
    other sealed words (``crypto``, the keyring, ``insight``, ``reports``, ``demo``, any
    ``responses`` module but the token format), or from the store anything but its fact readers."""
    if i.target == STORE:
        return not set(i.names) <= set(FACT_READERS)
    if _in(i.target, "services.responses"):
        return i.target not in FIGURES_FROM_RESPONSES
    return any(_in(i.target, p) for p in ("crypto", "services.insight", "services.reports", "services.demo"))


def test_figures_import_nothing_that_opens_free_text():
    figures = _modules_in("services.figures")
    assert any(i.target == STORE for m in figures for i in m.imports)  # the rule is not vacuous
    assert _offences(figures, _opens_free_text) == []


@pytest.mark.parametrize(
    "target, names",
    [
        (STORE, ("open_answers",)),
        (STORE, ("read_facts", "open_facts")),
        (STORE, ("*",)),  # from ..responses import store
        (f"{PACKAGE}.services.responses.submissions", ("open_response",)),
        (f"{PACKAGE}.services.responses.keyring", ("current_keyring",)),
        (f"{PACKAGE}.services.responses", ("*",)),
        (CRYPTO, ("CryptoError",)),
        (f"{PACKAGE}.services.insight.comments", ("*",)),
        (f"{PACKAGE}.services.reports.raw_export", ("*",)),
    ],
)
def test_the_free_text_rule_refuses(target, names):
    assert _opens_free_text(Import(target, names, 0))


def test_the_free_text_rule_allows_fact_readers_and_tokens():
    assert not _opens_free_text(Import(STORE, FACT_READERS, 0))
    assert not _opens_free_text(Import(f"{PACKAGE}.services.responses.facts", ("*",), 0))


def test_only_the_cli_imports_the_demo_services():
    importers = {
        m.name for m in GRAPH.values() for i in m.imports if _in(i.target, "services.demo") and not _in(m.name, "services.demo")
    }
    assert importers <= {f"{PACKAGE}.cli"}
