"""How long a typed text may be: one limit per kind of text, used by forms (``maxlength`` and a
visible counter, static/js/app.js) and by the services that store the text."""

NAME = 100  # a person's or unit's name, a headline
TITLE = 200  # a title, a method, a short line
PARAGRAPH = 5_000  # a reason, a problem, an evaluation, a body, a note, a comment
NARRATIVE = 20_000  # a county's 工作情况: several paragraphs
