"""Every import points down: core ← accounts ← units ← assessment ← reports (tests/import_graph.py
prints the graph and keeps docs/import-graph.txt). A lower layer never imports a higher one, not
even lazily inside a function."""

import ast

from tests.import_graph import DRAWING, drawing, edges, imported_modules, module_name, modules, upward


def test_no_import_reaches_up_a_layer():
    found = sorted((module, target) for (_app, target), found in upward(edges()).items() for module in found)
    assert not found, "imports reaching up a layer:\n" + "\n".join(f"  {m} → {t}" for m, t in found)


def test_the_committed_drawing_is_current():
    text = drawing(edges())
    assert (
        "core ← accounts ← units ← assessment ← meetings ← ballots ← liaison ← rectification ← results ← reports"
        in text
        and "reports → assessment" in text
    )
    assert DRAWING.read_text(encoding="utf-8") == text + "\n", "run: python -m tests.import_graph"


# A report is a target's: the reports app's views ask assessment's permissions module.
PERMISSIONS_OF = {"reports": "assessment"}


def test_every_view_asks_its_own_apps_permissions_module():
    """Permissions live with the app that owns the object (accounts.permissions holds only the
    contract they share and the request's memo): a view imports its own app's module, no other."""
    wrong = []
    for app, path in modules():
        module = module_name(path)
        if not (".views" in module or module.endswith("_views")):
            continue
        own = f"{PERMISSIONS_OF.get(app, app)}.permissions"
        asked = {
            name
            for name in imported_modules(ast.parse(path.read_text(encoding="utf-8")), module)
            if name.endswith(".permissions")
        }
        wrong += [f"  {module} → {name} (not {own})" for name in sorted(asked - {own})]
    assert not wrong, "views asking another app's permissions module:\n" + "\n".join(wrong)
