"""Pure rules of the roster: which kind of unit hangs under which (tree), how rosters write a
party organization's type (org_types). No database, no request; tested alone."""
