"""Where the apps above assessment (tests/import_graph.py) hook into its work, so that assessment
never names them: signals it sends and guards it asks, filled in from the upper apps'
AppConfig.ready().

- ``target_moved``: sent inside the workflow step's transaction after a target changed state
  (kwargs ``target``, ``step`` — an assessment.domain.workflow.Step —, ``user``). The
  rectification ledger opens its entries when a target is finalized.
- ``targets_added``: sent inside the transaction after a group gained targets (kwargs
  ``campaign``, ``targets`` — the new Target rows —, ``user``). Next year's campaign carries the
  open problems of those units.
- finalize guards: ``register_finalize_guard(fn)`` with ``fn(target) -> list[str]``, the reasons
  (Chinese sentences) that stop 定稿 now, e.g. the assessed unit's feedback still awaited. An
  empty list lets it pass; ``finalize_refusals(target)`` asks them all.
"""

from __future__ import annotations

from collections.abc import Callable

from django.dispatch import Signal

target_moved = Signal()
targets_added = Signal()

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
