"""Writes: one module per topic (campaigns, checklist, groups, sampling, findings, overview, evidence,
workflow), each function atomic and audited; editing holds what every finding's write goes through."""
