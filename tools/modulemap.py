"""The kit's module map: which module of the plugin imports which, by pipeline stage, with the
import cycles and the imports that reach back up the pipeline (a stage importing a later one).

    .venv/bin/python -m tools.modulemap            # the map, in Markdown
    .venv/bin/python -m tools.modulemap DOSSIER    # of another copy's plugins/territoire/

Each module is read with ``ast`` (nothing is imported). A module's stage comes from
``STAGES`` (first match of its name); an import from an earlier stage into a later one is
ordinary (a view uses the models), one from a later stage's module into an earlier stage's
is listed as reaching back up (the load stage importing a view, say).
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "territoire"

# Pipeline order (build.py): a module's stage is the first whose prefixes match its name.
STAGES: list[tuple[str, tuple[str, ...]]] = [
    # Shared by every stage: formats, the models and the site's shape, Markdown and sanitising.
    (
        "commun",
        (
            "formats",
            "escaping",
            "problems",
            "slugs",
            "fields",
            "models",
            "communes",
            "geo",
            "settings",
            "run",
            "contentcache",
            "routes",
            "markup",
            "bodyimages",
        ),
    ),
    ("configuration", ("config", "pelican_settings", "plugin")),
    ("lecture", ("load", "communes_data", "sources", "yamlsource", "contentfiles", "images")),
    # The validate stage makes the site's records (site.py) from the sources.
    ("validation", ("validate", "site", "pages", "mistakes", "warnings", "lifecycle", "schemas")),
    ("résolution", ("resolve",)),
    ("dérivation", ("derive", "board", "orientation", "figures", "calendar", "directory", "svgmap")),
    (
        "rendu",
        ("render", "generator", "pagewriter", "secondprocess", "search", "views", "social", "outputs", "incremental"),
    ),
    ("post-traitement", ("postprocess", "brochure_pdf", "hosting", "linkcheck", "swap")),
    ("publication", ("publishers", "build")),
    (
        "outils",
        (
            "tasks",
            "cli",
            "serve",
            "sitediff",
            "scaffold",
            "cms",
            "contributing",
            "questionnaire",
            "upgrade",
            "changes",
            "report",
            "vendor",
        ),
    ),
]


def stage_of(module: str) -> int:
    for rank, (_name, prefixes) in enumerate(STAGES):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    return len(STAGES)


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    found = {}
    for path in sorted(package.rglob("*.py")):
        if "theme" in path.relative_to(package).parts:
            continue
        name = ".".join(path.relative_to(package).with_suffix("").parts)
        found[name.removesuffix(".__init__") if name != "__init__" else ""] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules ``name`` imports at its top level or in functions (not under
    TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".") if package else []
            base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
            target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            for alias in node.names:
                candidate = f"{target}.{alias.name}" if target else alias.name
                found.add(candidate if candidate in known else target)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("territoire"):
            target = node.module.removeprefix("territoire").lstrip(".")
            for alias in node.names:
                candidate = f"{target}.{alias.name}" if target else alias.name
                found.add(candidate if candidate in known else target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    # Importing « views.exports » runs the package « views » (its __init__) first, unless the
    # importer is inside that package (already being run).
    found |= {
        parent
        for m in set(found)
        for n in range(1, m.count(".") + 1)
        if not (name + ".").startswith((parent := ".".join(m.split(".")[:n])) + ".")
    }
    return {m for m in found if m in known and m != name and m}


def graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    found = modules(package)
    known = set(found)
    return {name: imports(name, path, known) for name, path in found.items() if name}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def connect(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            connect(v)
    return sorted(out)


def back_references(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(importer, imported) where the importer's stage comes before the imported's."""
    tools = len(STAGES) - 1
    return sorted((a, b) for a, targets in edges.items() for b in targets if stage_of(a) < stage_of(b) < tools)


def markdown(package: Path = PACKAGE) -> str:
    edges = graph(package)
    by_stage: dict[int, list[str]] = defaultdict(list)
    for name in edges:
        by_stage[stage_of(name)].append(name)
    lines = ["| Étape | Modules | Importe (dans le paquet) |", "|---|---|---|"]
    for rank in sorted(by_stage):
        label = STAGES[rank][0] if rank < len(STAGES) else "autre"
        for name in sorted(by_stage[rank]):
            lines.append(f"| {label} | `{name}` | {', '.join(f'`{m}`' for m in sorted(edges[name])) or '—'} |")
    groups = cycles(edges)
    back = back_references(edges)
    lines += ["", f"Cycles d'import : {len(groups)}"]
    lines += [f"- {' ↔ '.join(g)}" for g in groups]
    lines += ["", f"Imports qui remontent le pipeline (une étape qui importe une étape suivante) : {len(back)}"]
    lines += [f"- `{a}` ({STAGES[stage_of(a)][0]}) → `{b}` ({STAGES[stage_of(b)][0]})" for a, b in back]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(Path(sys.argv[1]) if len(sys.argv) > 1 else PACKAGE))
