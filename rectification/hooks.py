"""How the ledger joins the assessment's work (assessment.extensions): entries open at 定稿; a
group's new targets bring last year's open entries; the workspace shows them beside each item; a
liaison's home shows its ledger."""

from assessment import extensions
from assessment.domain.workflow import Step


def _on_moved(sender, target, step, user, **kwargs) -> None:
    if step == Step.FINALIZE:
        from .services import entries_for_target

        entries_for_target(target)


def _on_added(sender, campaign, targets, user, **kwargs) -> None:
    from .services import carry_over

    carry_over(campaign, [t.unit for t in targets])


def _notes(target):
    from .selectors import item_notes

    return item_notes(target)


def _home(user):
    from .selectors import home_panel

    return home_panel(user)


def connect() -> None:
    extensions.target_moved.connect(_on_moved, dispatch_uid="rectification.open_entries")
    extensions.targets_added.connect(_on_added, dispatch_uid="rectification.carry_over")
    extensions.register_item_notes(_notes)
    extensions.register_home_panel(_home)
