"""Forms parse input; the rules live in assessment.services. One module per topic, as views/:
campaigns, groups, checklist, sampling, and the workspace's records; fields holds what they share."""
