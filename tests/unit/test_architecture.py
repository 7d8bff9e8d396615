"""Rules of the package's layout (DESIGN §2), checked on the import statements themselves
so that a newcomer's first shortcut fails a test instead of a review.

Layers go one way down: blueprints → services (by domain) → models / crypto / surveys.
"""

from __future__ import annotations

import ast

import pytest

from tests.helpers.imports import PACKAGE, PACKAGE_DIR, Import, Module, cycles, read_graph, reachable

GRAPH = read_graph()
BLUEPRINTS = ("admin", "auth", "coordinator", "survivor", "worker")
# The one module of ``auth`` that every blueprint uses: role checks and role names.
SHARED_FROM_AUTH = f"{PACKAGE}.auth.access"
BASE_MODULES = ("config", "extensions", "security", "htmx", "i18n", "logs", "errors")


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
    faces = [*BLUEPRINTS, "survey_pages", "staff_forms"]
    assert _offences(_modules_in("services"), lambda i: any(_in(i.target, f) for f in faces)) == []


def test_only_the_cli_imports_the_demo_services():
    importers = {
        m.name for m in GRAPH.values() for i in m.imports if _in(i.target, "services.demo") and not _in(m.name, "services.demo")
    }
    assert importers <= {f"{PACKAGE}.cli"}


def _compares_type_with_text(module: Module) -> list[int]:
    """Lines where ``<something>.type`` is compared with ``"text"`` (deciding what is free text)."""
    lines = []
    for node in ast.walk(ast.parse(module.path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Attribute) and s.attr == "type" for s in sides) and any(
                isinstance(s, ast.Constant) and s.value == "text" for s in sides
            ):
                lines.append(node.lineno)
    return lines


def test_only_the_comment_catalogue_decides_which_answers_are_comments():
    catalogue = f"{PACKAGE}.services.insight.catalogue"
    deciding = {
        m.name: lines
        for m in GRAPH.values()
        if (lines := _compares_type_with_text(m)) and _in(m.name, "services") and m.name != catalogue
    }
    assert deciding == {}
    assert _compares_type_with_text(GRAPH[catalogue])  # the rule looks at the right thing


# What each service domain must never import (its ``__init__`` docstring says why).
NEVER_IMPORTS = {
    "services.responses": ("services.figures", "services.insight", "services.reports", "services.demo"),
    "services.figures": ("services.insight", "services.reports", "services.demo", "services.staff"),
    "services.insight": ("services.reports", "services.demo"),
    "services.reports": ("services.demo",),
    "services.staff": ("services.figures", "services.insight", "services.reports", "services.demo"),
}


@pytest.mark.parametrize("domain", sorted(NEVER_IMPORTS))
def test_service_domains_keep_to_their_rooms(domain):
    forbidden = NEVER_IMPORTS[domain]
    assert _offences(_modules_in(domain), lambda i: any(_in(i.target, f) for f in forbidden)) == []


def test_responses_use_only_the_rate_limits_of_staff():
    used = {i.target for m in _modules_in("services.responses") for i in m.imports if _in(i.target, "services.staff")}
    assert used <= {f"{PACKAGE}.services.staff.rate_limits"}


@pytest.mark.parametrize("domain", sorted({d.rpartition(".")[2] for d in NEVER_IMPORTS} | {"demo"}))
def test_every_domain_says_what_it_owns_and_never_imports(domain):
    docstring = ast.get_docstring(ast.parse(GRAPH[f"{PACKAGE}.services.{domain}"].path.read_text(encoding="utf-8")))
    assert docstring and "never import" in docstring.lower().replace("\n", " ")
