"""Every import points down: core ← accounts ← units ← assessment ← reports (tests/import_graph.py
prints the graph). The modules listed in KNOWN still reach up; they are being moved (issue
"every import points down") and the list may only shrink."""

from tests.import_graph import DRAWING, drawing, edges, upward

KNOWN = {
    ("core.views", "assessment"),
    ("core.views", "units"),
    ("assessment.urls", "reports"),
    ("core.templatetags.app_tags", "assessment"),
}


def _found() -> set[tuple[str, str]]:
    return {(module, target) for (_app, target), modules in upward(edges()).items() for module in modules}


def test_no_new_import_reaches_up_a_layer():
    new = _found() - KNOWN
    assert not new, "imports reaching up a layer:\n" + "\n".join(f"  {m} → {t}" for m, t in sorted(new))


def test_the_list_of_known_upward_imports_only_shrinks():
    gone = KNOWN - _found()
    assert not gone, "no longer upward, remove from KNOWN: " + ", ".join(
        f"{m} → {t}" for m, t in sorted(gone)
    )


def test_the_committed_drawing_is_current():
    text = drawing(edges())
    assert "core ← accounts ← units ← assessment ← reports" in text and "reports → assessment" in text
    assert DRAWING.read_text(encoding="utf-8") == text + "\n", "run: python -m tests.import_graph"
