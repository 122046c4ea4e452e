"""The assessment's rules, each written once, as pure functions of plain values.

* ``scoring`` — an item's score (nothing until the group decides it), a target's total
  (nothing until every item is decided; at most a provisional sum before), ranks among the
  complete targets, grade bands, column statistics over decided scores;
* ``completeness`` — when an item is done, and what still keeps a target from being
  submitted, each gap with where it is fixed;
* ``workflow`` — the states of a target, and which step each role may take from each;
* ``locks`` — when a county's work (and the sampling, group, checklist and settings its
  report shows) may change, and the refusal naming each locked county and its state;
* ``sampling`` — the reproducible draw of a county's sample from a public seed, and the
  report's sentence about it.

No database, no request: the workspace, the dashboard, the Excel summary, the charts and
the report read their rows and hand the values to these functions, so they cannot disagree.
"""
