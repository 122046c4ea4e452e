"""How the assessed unit's part joins the assessment's work (assessment.extensions): its feedback
opens when its work is approved; 定稿 waits for it; a liaison sees its unit on 我的考核."""

from assessment import extensions
from assessment.domain.workflow import Step


def _on_moved(sender, target, step, user, **kwargs) -> None:
    if step == Step.APPROVE:
        from .services import open_feedback

        open_feedback(target)


def _home_panel(user):
    from .selectors import home_panel

    return home_panel(user)


def _guard(target) -> list[str]:
    from .services import finalize_refusals

    return finalize_refusals(target)


def connect() -> None:
    extensions.target_moved.connect(_on_moved, dispatch_uid="liaison.open_feedback")
    extensions.register_finalize_guard(_guard)
    extensions.register_home_panel(_home_panel)
