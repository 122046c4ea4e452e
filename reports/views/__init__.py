"""The reports app's pages: a target's report (report), the campaign dashboard (dashboard), batch exports
(batch)."""
