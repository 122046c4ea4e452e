"""Writes to campaigns, checklists and groups. Sampling lives in assessment.sampling_services."""
