"""The package's shape: every sub-package ships, layers import only downwards, a graph file loads without spaCy.

Layers, lowest first: the base (``graph``, ``graph.model``, ``graph.names``, ``graph.vendors``, and the
data package ``graph.data``), then ``sources``, ``extract``, ``store``, ``query``,
``gaps`` (which may use ``query``; ``query`` may not use ``gaps``), ``ui`` and ``cli``.
A module may import its own layer and the ones below it. The explorer page
``streamlit_app.py`` may import anything but the command line.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

from graph.cli.app import STREAMLIT_OPTIONS
from graph.store.graphfile import save_graph

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "graph"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]

#: Sub-package (second part of the module name) -> layer; modules directly in graph/ are the base.
LAYERS = {"": 0, "model": 0, "names": 0, "data": 0, "sources": 1, "extract": 2, "store": 3, "query": 4, "gaps": 5}
LAYERS |= {"vendors": 0, "ui": 6, "cli": 7}
LAYER_NAMES = {0: "base", 1: "sources", 2: "extract", 3: "store", 4: "query", 5: "gaps", 6: "ui", 7: "cli"}


# --- (a) what is shipped ------------------------------------------------------------------------------------------


def package_folders() -> set[str]:
    return {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in PACKAGE.rglob("__init__.py")
        if "__pycache__" not in init.parts
    }


def test_every_sub_package_is_listed_in_pyproject():
    assert set(SETUPTOOLS["packages"]) == package_folders() | {"graph.data"}
    assert len(SETUPTOOLS["packages"]) == len(set(SETUPTOOLS["packages"]))


def test_every_folder_of_modules_is_a_package():
    """A folder of modules without __init__.py would be a namespace package, silently left out of the wheel."""
    folders = {path.parent for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts}
    assert sorted(str(f.relative_to(REPO)) for f in folders if not (f / "__init__.py").is_file()) == []


def test_the_data_folder_ships_as_graph_data_with_every_file():
    assert SETUPTOOLS["package-dir"] == {"graph.data": "data"}
    assert (REPO / "data" / "__init__.py").is_file()
    patterns = SETUPTOOLS["package-data"]["graph.data"]
    files = [
        path.relative_to(REPO / "data")
        for path in (REPO / "data").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.name != "__init__.py"
    ]
    assert files, "data/ is empty"
    unshipped = [str(f) for f in files if not any(f.match(pattern) for pattern in patterns)]
    assert unshipped == [], f"add a pattern to [tool.setuptools.package-data] for {unshipped}"


def test_the_explorer_page_ships_as_a_top_level_module():
    assert SETUPTOOLS["py-modules"] == ["streamlit_app"]
    assert (REPO / "streamlit_app.py").is_file()


def test_the_app_command_passes_the_settings_of_the_streamlit_config():
    """`notes-graph app` runs outside the repository, so it passes .streamlit/config.toml's settings itself."""
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    flat = {f"{section}.{name}": value for section, options in config.items() for name, value in options.items()}
    assert flat == STREAMLIT_OPTIONS


# --- (b) layers ---------------------------------------------------------------------------------------------------


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    found = {module_name(p): p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}
    found["graph.data"] = REPO / "data" / "__init__.py"
    return found


MODULES = all_modules()


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS[parts[1] if len(parts) > 1 and parts[1] in LAYERS else ""]


def graph_imports(path: Path, name: str) -> set[str]:
    """Every ``graph.*`` module *path* imports, at module level, in functions or behind TYPE_CHECKING."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            found.add(source)
            # `from graph import cli` imports the module graph.cli, not just the package graph
            found |= {f"{source}.{alias.name}" for alias in node.names if f"{source}.{alias.name}" in MODULES}
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in {"import_module", "__import__"} and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return {m for m in found if m == "graph" or m.startswith("graph.")}


def test_the_layer_table_covers_every_sub_package():
    assert {name.split(".")[1] for name in MODULES if "." in name} <= set(LAYERS)


def test_lower_layers_never_import_higher_ones():
    upward = []
    for name, path in sorted(MODULES.items()):
        for imported in sorted(graph_imports(path, name)):
            if layer(imported) > layer(name):
                upward.append(
                    f"{name} ({LAYER_NAMES[layer(name)]}) imports {imported} ({LAYER_NAMES[layer(imported)]})"
                )
    assert upward == []


def test_the_explorer_page_does_not_import_the_command_line():
    imports = graph_imports(REPO / "streamlit_app.py", "streamlit_app")
    assert imports, "streamlit_app.py imports nothing from graph: is the scan broken?"
    assert sorted(m for m in imports if m == "graph.cli" or m.startswith("graph.cli.")) == []


def test_the_import_scan_sees_every_kind_of_import(tmp_path):
    module = tmp_path / "probe.py"
    module.write_text(
        textwrap.dedent(
            """
            import graph.model
            from graph import cli
            from graph.store.graphfile import load_graph
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                from graph.ui import view
            def later():
                import importlib
                from graph.gaps.report import gap_report
                return importlib.import_module("graph.query.find")
            """
        ),
        encoding="utf-8",
    )
    assert graph_imports(module, "graph.sources.probe") == {
        "graph.model",
        "graph",
        "graph.cli",
        "graph.store.graphfile",
        "graph.ui",
        "graph.ui.view",
        "graph.gaps.report",
        "graph.query.find",
    }


def test_relative_imports_are_resolved(tmp_path):
    module = tmp_path / "probe.py"
    module.write_text("from .graphfile import load_graph\nfrom ..query import find\n", encoding="utf-8")
    assert graph_imports(module, "graph.store.probe") == {"graph.store.graphfile", "graph.query", "graph.query.find"}
    package = tmp_path / "__init__.py"
    package.write_text("from .view import render_neighborhood\nfrom . import escape\n", encoding="utf-8")
    assert graph_imports(package, "graph.ui") == {"graph.ui.view", "graph.ui", "graph.ui.escape"}


# --- (c) loading a graph file does not start spaCy ----------------------------------------------------------------


def test_loading_a_graph_file_does_not_import_spacy(bundled_graph, tmp_path):
    graph_file = tmp_path / "bundled.graph.json"
    save_graph(bundled_graph, graph_file)
    code = textwrap.dedent(
        """
        import sys
        import graph.store.graphfile
        assert "spacy" not in sys.modules, "importing graph.store.graphfile imported spacy"
        graph = graph.store.graphfile.load_graph(sys.argv[1])
        assert graph.number_of_nodes() > 0
        assert "spacy" not in sys.modules, "loading a graph file imported spacy"
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(graph_file)], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
