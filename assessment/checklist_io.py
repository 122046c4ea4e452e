"""Checklist workbooks (考核项目清单), in one place: import with preview, template, export.

Reading lives in checklist_import, writing in checklist_export; this module is
what views and commands import from.
"""

from .checklist_export import checklist_export, checklist_template
from .checklist_import import (
    ChecklistPlan,
    ParsedCriterion,
    ParsedItem,
    checklist_as_json,
    checklist_import,
    checklist_plan,
)

__all__ = [
    "ChecklistPlan",
    "ParsedCriterion",
    "ParsedItem",
    "checklist_as_json",
    "checklist_export",
    "checklist_import",
    "checklist_plan",
    "checklist_template",
]
