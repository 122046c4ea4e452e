"""Where the apps above assessment (tests/import_graph.py) hook into its work, so that assessment
never names them: signals it sends and guards it asks, filled in from the upper apps'
AppConfig.ready().

- ``target_moved``: sent inside the workflow step's transaction after a target changed state
  (kwargs ``target``, ``step`` — an assessment.domain.workflow.Step —, ``user``). The
  rectification ledger opens its entries when a target is finalized.
- ``targets_added``: sent inside the transaction after a group gained targets (kwargs
  ``campaign``, ``targets`` — the new Target rows —, ``user``). Next year's campaign carries the
  open problems of those units.
- home panels: ``register_home_panel(fn)`` with ``fn(user) -> HomePanel | None``: a part of 我的考核
  for someone the upper app knows (an assessed unit's liaison sees its unit there).
- item notes: ``register_item_notes(fn)`` with ``fn(target) -> dict[item_id, list[ItemNote]]``:
  lines shown under an item in the workspace (last year's problem carried open, a problem
  found again), each with its badge.
- finalize guards: ``register_finalize_guard(fn)`` with ``fn(target) -> list[str]``, the reasons
  (Chinese sentences) that stop 定稿 now, e.g. the assessed unit's feedback still awaited. An
  empty list lets it pass; ``finalize_refusals(target)`` asks them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.dispatch import Signal

target_moved = Signal()
targets_added = Signal()


@dataclass(frozen=True)
class HomePanel:
    template: str
    context: dict


@dataclass(frozen=True)
class ItemNote:
    text: str
    badge: str = ""
    url: str = ""
    # A question the workspace asks beside the note (e.g. 是否同一问题), as (label, POST url) pairs.
    actions: tuple[tuple[str, str], ...] = ()


HOME_PANELS: list[Callable[[object], HomePanel | None]] = []
ITEM_NOTES: list[Callable[[object], dict[int, list[ItemNote]]]] = []


def register_home_panel(panel):
    if panel not in HOME_PANELS:
        HOME_PANELS.append(panel)
    return panel


def home_panels(user) -> list[HomePanel]:
    return [p for panel in HOME_PANELS if (p := panel(user)) is not None]


def register_item_notes(notes):
    if notes not in ITEM_NOTES:
        ITEM_NOTES.append(notes)
    return notes


def item_notes(target) -> dict[int, list[ItemNote]]:
    """Item id → the notes every upper app has for it."""
    merged: dict[int, list[ItemNote]] = {}
    for notes in ITEM_NOTES:
        for item_id, lines in notes(target).items():
            merged.setdefault(item_id, []).extend(lines)
    return merged


FinalizeGuard = Callable[[object], list[str]]
FINALIZE_GUARDS: list[FinalizeGuard] = []


def register_finalize_guard(guard: FinalizeGuard) -> FinalizeGuard:
    """Add a guard (once, however often an app is made ready)."""
    if guard not in FINALIZE_GUARDS:
        FINALIZE_GUARDS.append(guard)
    return guard


def finalize_refusals(target) -> list[str]:
    """Every reason the guards give for not finalizing ``target`` now."""
    return [reason for guard in FINALIZE_GUARDS for reason in guard(target)]
