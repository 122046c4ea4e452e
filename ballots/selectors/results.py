"""The count of a ballot as its pages, files and commands show it: one read, counted by the rule
(ballots.domain.counting)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count as DbCount

from ..domain import counting
from ..models import Ballot, CastBallot, Subject


@dataclass
class Results:
    ballot: Ballot
    subjects: list[Subject]
    categories: list
    options: list
    count: counting.Count

    def rows(self):
        """(subject, its result), in the subjects' order."""
        return list(zip(self.subjects, self.count.subjects, strict=True))

    def ranked(self):
        """By rank (unranked last), then in the subjects' order."""
        return sorted(self.rows(), key=lambda pair: (pair[1].rank is None, pair[1].rank or 0))


def ballot_results(ballot: Ballot) -> Results:
    subjects = list(ballot.subjects.select_related("unit"))
    categories = list(ballot.categories.all())
    options = list(ballot.options.all())
    name = {c.pk: c.name for c in categories}
    marks = [
        counting.Marks(name[category_id], marks)
        for category_id, marks in CastBallot.objects.filter(ballot=ballot).values_list("category_id", "marks")
    ]
    result = counting.count(
        options=[counting.Option(o.label, o.score, o.good) for o in options],
        categories=[counting.Category(c.name, c.weight, c.present) for c in categories],
        subjects=[str(s.pk) for s in subjects],
        ballots=marks,
        quorum=Fraction(ballot.quorum_numerator, ballot.quorum_denominator),
    )
    return Results(ballot=ballot, subjects=subjects, categories=categories, options=options, count=result)


def received_by_category(ballot: Ballot) -> list[dict]:
    """For the projector while voting: received and 实到 per category, nothing else."""
    received = dict(
        CastBallot.objects.filter(ballot=ballot).values_list("category").annotate(n=DbCount("pk")).order_by()
    )
    return [
        {"category": c, "received": received.get(c.pk, 0), "present": c.present}
        for c in ballot.categories.all()
    ]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def results_json(results: Results) -> dict:
    """The shape ``ballot_results --json`` prints; decimals as strings, unknown as null."""
    count = results.count
    keys = [o.label for o in results.options] + [counting.ABSTAIN, counting.INVALID]
    return {
        "ballots": {"received": count.received, "valid": count.valid, "void": count.void},
        "quorum_met": count.quorum.met,
        "subjects": [
            {
                "unit": subject.label,
                "counts": {
                    category.name: {key: result.by_category[category.name].counts[key] for key in keys}
                    for category in results.categories
                },
                "valid": result.valid,
                "good_rate": _text(result.good_rate),
                "score": _text(result.score),
            }
            for subject, result in results.rows()
        ],
    }
