"""The apps stand in layers, and an app imports only from the layers below it.

`LAYERS` is the order, lowest first (docs/architecture.md, "Layers"). An import that goes up
(a lower app importing a higher one) closes a cycle between apps, whether it sits at the top
of a module or is deferred inside a function; imports for the type checker only
(`if TYPE_CHECKING:`) do not count. None goes up any more: where a lower app shows what a
higher one adds (a panel on the case page, a home-page card, a queue), the higher app
registers it from its `AppConfig.ready()` (zhili/core/registry.py).
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LAYERS = [
    "core",
    "orgs",
    "registers",  # the base registers (people and their roles): cases and dossiers will name them
    "cases",
    "mediation",
    "petitions",
    "receptions",
    "supervision",
    "video",  # later creates cases from camera alarms
    "rooms",  # video rooms about disputes, receptions and meetings, on video's Janus
    "training",  # 网上培训: courses of recorded lessons and live ones (training rooms)
    "forces",  # teams and their handhelds in the field (command and dispatch)
    "intercom",  # talk groups of the forces on Janus AudioBridge (push-to-talk)
    "incidents",  # 指挥事件: plans, tasks, dispatches of forces, cameras around, the timeline
    "integrations",
    "open311",
    "mobile",
    "portal",
    "imports",
    "warnings",  # early warnings: rules over cases and petitions, a dossier to sign and answer
    "opinions",  # 舆情: online public opinion registered by staff, one of the 五情
    "inspections",  # 督: inspections, rectification, circulars, 回头看 over closed cases
    "plans",  # 统: yearly plans, tasks (a dossier), monthly progress, meetings' decisions; 督 through supervision
    "assessment",  # 考核评价: the scheme, the ledger (findings' deductions too), vetoes, grades
    "reports",  # analysis reports (研判报告): read the figures of every app below it
    "web",
    "screen",  # the big screen: reads the figures of every app below it
    "project",  # zhili/api.py and the like: the project's own modules, above every app
]
APPS = {p.name for p in (ROOT / "zhili").iterdir() if (p / "apps.py").exists()}


def _app(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "zhili" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in APPS else "project"


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for inner in ast.walk(node))
    return skipped


def imported_modules(source: str) -> list[tuple[str, int]]:
    """The absolute modules `source` imports, anywhere in it (a function's body too), with
    their lines; not those imported for the type checker only."""
    tree = ast.parse(source)
    skipped = _type_checking_nodes(tree)
    modules = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            modules += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.append((node.module, node.lineno))
    return modules


def app_imports() -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app) -> where, over the apps' code (no tests, migrations)."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted((ROOT / "zhili").rglob("*.py")):
        relative = path.relative_to(ROOT)
        if {"tests", "migrations"} & set(relative.parts) or path.name.startswith("test_"):
            continue
        source = _app(".".join(relative.with_suffix("").parts))
        for module, line in imported_modules(path.read_text(encoding="utf-8")):
            target = _app(module)
            if source and target and target != source:
                found[(source, target)].append(f"{relative}:{line}")
    return found


def test_every_app_has_a_layer() -> None:
    assert APPS - set(LAYERS) == set(), "add the new app to LAYERS (and to docs/architecture.md)"


def test_no_app_imports_a_layer_above_it() -> None:
    rank = {app: n for n, app in enumerate(LAYERS)}
    imports = app_imports()
    up = {edge for edge in imports if rank[edge[1]] > rank[edge[0]]}
    found = {f"{a} -> {b}: {imports[(a, b)][:3]}" for a, b in up}
    assert not found, "an import goes up a layer (it closes a cycle between apps)"


def test_the_check_sees_deferred_imports_and_skips_type_checking_ones() -> None:
    source = """
from typing import TYPE_CHECKING
import zhili.orgs.models
if TYPE_CHECKING:
    from zhili.web.views import home
def later():
    from zhili.mobile import selectors
    return selectors
"""
    assert [m for m, _line in imported_modules(source)] == [
        "typing",
        "zhili.orgs.models",
        "zhili.mobile",
    ]
