from .audit import AuditEntry, WorkflowEvent
from .campaign import Campaign, CampaignReviewer
from .checklist import ChecklistChange, ChecklistImport, ChecklistItem, Criterion
from .findings import (
    Deduction,
    EvaluationPoint,
    Evidence,
    ItemAssessment,
    Problem,
    Recommendation,
    TypicalExample,
)
from .groups import AssessmentGroup, GroupMember, Method, Target
from .sampling import SampleDraw, SampledUnit, SamplingPlan, Stratum

__all__ = [
    "AuditEntry",
    "EvaluationPoint",
    "Evidence",
    "ItemAssessment",
    "Recommendation",
    "TypicalExample",
    "WorkflowEvent",
    "AssessmentGroup",
    "Campaign",
    "CampaignReviewer",
    "ChecklistChange",
    "ChecklistImport",
    "ChecklistItem",
    "Criterion",
    "Deduction",
    "GroupMember",
    "Method",
    "Problem",
    "SampleDraw",
    "SampledUnit",
    "SamplingPlan",
    "Stratum",
    "Target",
]
