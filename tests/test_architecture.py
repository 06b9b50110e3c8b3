"""The import rules of docs/ARCHITECTURE.md, checked from the code (ast over every module), and
the page itself checked to name every module.

The rules:

- the core (``triage``) imports neither ``training`` nor ``service`` nor ``triage_cli``;
- ``training`` and ``service`` never import each other (nor ``triage_cli``, which composes
  them);
- each sub-package of ``triage`` imports, of the project, only itself and what its
  ``__init__`` docstring says it may (``SUBPACKAGE_IMPORTS`` below: the same list, and the test
  checks that the docstring names every entry of it).

Every import counts: at module level, inside a function (a lazy import), under
``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The project's packages (folders at the repository root).
PACKAGES = ("triage", "training", "service", "triage_cli")
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"

#: Which packages each package must never import.
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "triage": ("training", "service", "triage_cli"),
    "training": ("service", "triage_cli"),
    "service": ("training", "triage_cli"),
}

#: What each sub-package of ``triage`` may import of the project besides itself (a module, or
#: a package and everything in it). Its ``__init__`` docstring says the same, in words.
SUBPACKAGE_IMPORTS: dict[str, frozenset[str]] = {
    "triage.text": frozenset({"triage.rules.tables"}),
    "triage.rules": frozenset({"triage.text", "triage.schema", "triage.suggestion"}),
    "triage.history": frozenset({"triage.schema", "triage.files", "triage.exits"}),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(p): p
        for pkg in PACKAGES
        for p in sorted((ROOT / pkg).rglob("*.py"))
        if ".venv" not in p.parts
    }


MODULES = _modules()


def _is_project(name: str) -> bool:
    return name.split(".")[0] in PACKAGES


def imports_of(name: str, path: Path) -> set[str]:
    """The project modules (or packages) ``name`` imports, resolved to full dotted names."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if _is_project(a.name))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if not _is_project(module):
                continue
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                # "from triage.text import negation" imports the module triage.text.negation
                found.add(sub if sub in MODULES else module)
    return found


IMPORTS = {name: imports_of(name, path) for name, path in MODULES.items()}


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_module_list_is_complete() -> None:
    """The checks below see every package and sub-package (a guard on the walk itself)."""
    for name in ("triage.schema", "triage.text.normalise", "triage.rules.engine",
                 "triage.history.synth", "training.registry", "service.store", "triage_cli.main"):
        assert name in MODULES
    assert set(SUBPACKAGE_IMPORTS) == {
        name for name, path in MODULES.items()
        if path.name == "__init__.py" and name.count(".") == 1 and name.startswith("triage.")
    }, "every sub-package of triage needs its row in SUBPACKAGE_IMPORTS (and its docstring)"


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_packages_import_only_what_the_layers_allow(package: str) -> None:
    bad = sorted(
        f"{name} imports {imported}"
        for name, imported_set in IMPORTS.items()
        if _within(name, package)
        for imported in imported_set
        if any(_within(imported, other) for other in FORBIDDEN[package])
    )
    assert bad == [], f"{package} must not import {FORBIDDEN[package]}:\n" + "\n".join(bad)


@pytest.mark.parametrize("subpackage", sorted(SUBPACKAGE_IMPORTS))
def test_subpackages_import_only_what_their_docstring_allows(subpackage: str) -> None:
    allowed = SUBPACKAGE_IMPORTS[subpackage]
    bad = sorted(
        f"{name} imports {imported}"
        for name, imported_set in IMPORTS.items()
        if _within(name, subpackage)
        for imported in imported_set
        if not _within(imported, subpackage)
        and imported != "triage"  # "from triage import x" resolves to triage.x when x exists
        and not any(_within(imported, ok) for ok in allowed)
    )
    assert bad == [], (
        f"{subpackage} may import only {sorted(allowed)} of the project:\n" + "\n".join(bad)
    )


@pytest.mark.parametrize("subpackage", sorted(SUBPACKAGE_IMPORTS))
def test_subpackage_docstrings_say_what_they_own_and_may_import(subpackage: str) -> None:
    doc = ast.get_docstring(ast.parse(MODULES[subpackage].read_text(encoding="utf-8"))) or ""
    assert "Owns:" in doc and "May import:" in doc, f"{subpackage}/__init__.py docstring"
    may_import = doc.split("May import:", 1)[1]
    for ok in sorted(SUBPACKAGE_IMPORTS[subpackage]):
        assert f"``{ok}``" in may_import, f"{subpackage}'s docstring does not name {ok}"


def test_the_checker_reads_imports_as_python_does(tmp_path: Path) -> None:
    """Relative, lazy and ``from package import module`` imports all count."""
    code = (
        "from triage.text import negation\n"
        "from . import tables\n"
        "def f():\n"
        "    import service.store\n"
        "    from training.registry import promote\n"
    )
    path = tmp_path / "engine.py"
    path.write_text(code)
    assert imports_of("triage.rules.engine", path) == {
        "triage.text.negation", "triage.rules.tables", "service.store", "training.registry"
    }


def _sections(text: str) -> dict[str, str]:
    """``## `pkg/`...`` headings of the page -> the text under each."""
    out: dict[str, str] = {}
    for block in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        heading, _, body = block.partition("\n")
        m = re.match(r"`([a-z_]+)/`", heading)
        if m:
            out[m.group(1)] = body
    return out


def test_architecture_page_names_every_module() -> None:
    """Every module, by its path inside its package (``schema.py``, ``text/normalise.py``,
    ``routers/triage.py``), in its package's section of docs/ARCHITECTURE.md; every
    sub-package folder too."""
    sections = _sections(ARCHITECTURE.read_text(encoding="utf-8"))
    missing: list[str] = []
    for pkg in PACKAGES:
        assert pkg in sections, f"docs/ARCHITECTURE.md has no '## `{pkg}/`' section"
        body = sections[pkg]
        for path in sorted(p for p in MODULES.values() if p.parts[len(ROOT.parts)] == pkg):
            rel = path.relative_to(ROOT / pkg)
            if rel.name == "__init__.py":
                if rel.parent != Path(".") and f"{rel.parent.as_posix()}/" not in body:
                    missing.append(f"{pkg}/{rel.parent.as_posix()}/")
                continue
            if rel.as_posix() not in body:
                missing.append(f"{pkg}/{rel.as_posix()}")
    assert missing == [], "docs/ARCHITECTURE.md does not name:\n" + "\n".join(missing)


#: Data tables (scenario catalogues, and the normaliser's table of words it rewrites) may be
#: long; everything else stays small enough to read.
DATA_TABLES = frozenset({
    "triage/history/synth_catalogue.py",
    "triage/history/synth_catalogue_lay.py",
    "triage/history/synth_catalogue_minor.py",
    "triage/text/abbreviations.py",
})
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
#: Project code the size rules apply to: the packages, the load tests and the benchmarks.
SIZED = (*PACKAGES, "loadtests", "benchmarks")


def _sized_files() -> list[Path]:
    return [p for top in SIZED for p in sorted((ROOT / top).rglob("*.py"))
            if "__pycache__" not in p.parts]


def test_no_module_outside_the_data_tables_is_over_600_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in _sized_files()
            if (n := p.read_text(encoding="utf-8").count("\n")) > MAX_MODULE_LINES}
    assert set(long) <= DATA_TABLES, {k: v for k, v in long.items() if k not in DATA_TABLES}


def test_no_function_is_over_80_lines() -> None:
    long = []
    for path in _sized_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({size})")
    assert long == []
