"""Reads that span relations, each in a fixed number of queries, one module per topic:
campaigns (and the home page), sampling, the workspace, people's roles (for user management)."""
