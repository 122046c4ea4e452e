"""The raw-SQL baseline of bench/dashboard.py (one query per table, plain Python, JSON out), and the
check that it computes what the application computes."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter, defaultdict
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

TEXTS_PER_COUNTY = 5  # reports.dashboard.TEXTS_PER_COUNTY

PAGES = (
    ("progress", "reports:dashboard"),
    ("scores", "reports:scores"),
    ("problems", "reports:problems"),
    ("charts", "reports:charts"),
    ("compare", "reports:compare"),
    ("common", "reports:common_problems"),  # the first item's texts, county by county
)

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
PART_NAMES = tuple(name for name, _route in PAGES)
_sql: dict[str, str] = {}


def _statements() -> dict[str, str]:
    """The baseline's SQL, with the tables' real names (quoted for the backend)."""
    if _sql:
        return _sql
    from django.contrib.auth import get_user_model
    from django.db import connection

    from assessment import models as m
    from units.models import Unit

    q = connection.ops.quote_name
    t = {
        "campaign": q(m.Campaign._meta.db_table),
        "reviewer": q(m.CampaignReviewer._meta.db_table),
        "item": q(m.ChecklistItem._meta.db_table),
        "target": q(m.Target._meta.db_table),
        "unit": q(Unit._meta.db_table),
        "group": q(m.AssessmentGroup._meta.db_table),
        "deduction": q(m.Deduction._meta.db_table),
        "assessment": q(m.ItemAssessment._meta.db_table),
        "point": q(m.EvaluationPoint._meta.db_table),
        "audit": q(m.AuditEntry._meta.db_table),
        "user": q(get_user_model()._meta.db_table),
        "problem": q(m.Problem._meta.db_table),
        "order": q("order"),
    }
    campaign_columns = """c.id, c.title, c.bonus_enabled, c.grade_good_min, c.grade_fairly_good_min,
                       c.grade_average_min,
                       EXISTS (SELECT 1 FROM {reviewer} r WHERE r.campaign_id = c.id AND r.user_id = %s)"""
    _sql.update(
        {
            # The campaign, with whether the user reviews it.
            "campaign": f"SELECT {campaign_columns} FROM {{campaign}} c WHERE c.id = %s",
            # The same and the previous campaign: the latest earlier one with a target on one of
            # the same counties.
            "campaigns": f"""
                SELECT {campaign_columns}
                FROM {{campaign}} c
                WHERE c.id = %s OR c.id = (
                    SELECT p.id FROM {{campaign}} p
                    WHERE p.year < (SELECT year FROM {{campaign}} WHERE id = %s)
                      AND EXISTS (SELECT 1 FROM {{target}} pt WHERE pt.campaign_id = p.id AND pt.unit_id IN
                                  (SELECT unit_id FROM {{target}} WHERE campaign_id = %s))
                    ORDER BY p.year DESC, p.id DESC LIMIT 1)""",
            "items": """
                SELECT id, campaign_id, title, full_score FROM {item}
                WHERE campaign_id IN (%s, %s) ORDER BY campaign_id, {order}, id""",
            "targets": """
                SELECT t.id, t.campaign_id, t.status, u.name, g.name, g.start_date, g.end_date
                FROM {target} t JOIN {unit} u ON u.id = t.unit_id JOIN {group} g ON g.id = t.group_id
                WHERE t.campaign_id IN (%s, %s)""",
            "deductions": """
                SELECT d.target_id, d.item_id, SUM(d.points) FROM {deduction} d
                WHERE d.target_id IN (SELECT id FROM {target} WHERE campaign_id IN (%s, %s))
                GROUP BY d.target_id, d.item_id""",
            # The decided items (only they have a score), with their bonuses.
            "decided": """
                SELECT a.target_id, a.item_id, a.bonus
                FROM {assessment} a JOIN {target} t ON t.id = a.target_id
                WHERE t.campaign_id IN (%s, %s) AND a.score_decided_at IS NOT NULL""",
            # Items done per target: the score decided, the lead written, and no deduction without
            # a problem beside it.
            "done": """
                SELECT a.target_id, COUNT(*)
                FROM {assessment} a JOIN {target} t ON t.id = a.target_id
                WHERE t.campaign_id = %s AND a.score_decided_at IS NOT NULL AND a.lead <> ''
                  AND NOT (EXISTS (SELECT 1 FROM {deduction} d
                                   WHERE d.target_id = a.target_id AND d.item_id = a.item_id)
                           AND NOT EXISTS (SELECT 1 FROM {problem} p
                                           WHERE p.target_id = a.target_id AND p.item_id = a.item_id))
                GROUP BY a.target_id""",
            "audit": """
                SELECT a.target_id, a.at, u.name, u.username
                FROM {audit} a JOIN {user} u ON u.id = a.actor_id
                WHERE a.id IN (SELECT (SELECT a2.id FROM {audit} a2 WHERE a2.target_id = t.id
                                       ORDER BY a2.at DESC, a2.id DESC LIMIT 1)
                               FROM {target} t WHERE t.campaign_id = %s)""",
            # Per item and target: how many problems.
            "problem_cells": """
                SELECT p.item_id, p.target_id, COUNT(*)
                FROM {problem} p JOIN {target} t ON t.id = p.target_id
                WHERE t.campaign_id = %s GROUP BY p.item_id, p.target_id""",
            # One item, per target: how many problems, and the first five texts.
            "item_texts": """
                SELECT target_id, text, n FROM (
                    SELECT p.target_id, p.text,
                           ROW_NUMBER() OVER (PARTITION BY p.target_id ORDER BY p.position, p.id) AS rn,
                           COUNT(*) OVER (PARTITION BY p.target_id) AS n
                    FROM {problem} p JOIN {target} t ON t.id = p.target_id
                    WHERE t.campaign_id = %s AND p.item_id = %s) ranked
                WHERE rn <= {texts} ORDER BY target_id, rn""",
            "problem_breakdown": """
                SELECT u.kind, p.category, p.rectification, COUNT(*)
                FROM {problem} p JOIN {target} t ON t.id = p.target_id LEFT JOIN {unit} u ON u.id = p.unit_id
                WHERE t.campaign_id = %s GROUP BY u.kind, p.category, p.rectification""",
            "problem_counts": """
                SELECT p.item_id, COUNT(*) FROM {problem} p JOIN {target} t ON t.id = p.target_id
                WHERE t.campaign_id = %s GROUP BY p.item_id""",
        }
    )
    for key, statement in _sql.items():
        _sql[key] = statement.format(**t, texts=TEXTS_PER_COUNTY)
    return _sql


def _dec(value) -> Decimal:
    """A number from a raw row: Decimal on PostgreSQL, float or int on SQLite."""
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)).quantize(CENT)


def _stats(values: list[Decimal]) -> dict | None:
    if not values:
        return None
    return {
        "avg": (sum(values, ZERO) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP),
        "min": min(values),
        "max": max(values),
    }


def baseline_aggregates(
    pk: int, user, today: dt.date, parts=PART_NAMES, item_pk: int | None = None
) -> dict | None:
    """The aggregates of the dashboard pages named in ``parts``, from raw SQL: one query per table
    (two on problems), only those the pages need. None when the user may not see the campaign.
    ``item_pk``: the item whose texts the "common" part shows."""
    from django.db import connection

    from assessment.models import Problem, Target
    from units.models import Unit

    want = set(parts)
    sql = _statements()
    needs_scores = bool(want & {"scores", "charts", "compare"})
    deducted, decided, done, latest, problem_cells, breakdown, problem_counts, item_texts = (
        {},
        {},
        Counter(),
        {},
        [],
        [],
        {},
        [],
    )
    with connection.cursor() as cursor:
        if "compare" in want:
            cursor.execute(sql["campaigns"], [user.pk, pk, pk, pk])
        else:
            cursor.execute(sql["campaign"], [user.pk, pk])
        campaigns = {row[0]: row for row in cursor.fetchall()}
        if pk not in campaigns or not (campaigns[pk][6] or user.is_staff):
            return None
        previous = next((c for c in campaigns if c != pk), None)
        both = [pk, previous or pk]
        cursor.execute(sql["items"], both)
        items: dict[int, list] = defaultdict(list)
        for item_id, campaign_id, title, full in cursor.fetchall():
            items[campaign_id].append((item_id, title, _dec(full)))
        cursor.execute(sql["targets"], both)
        targets: dict[int, list] = defaultdict(list)
        for row in cursor.fetchall():
            targets[row[1]].append(row)
        if needs_scores:
            cursor.execute(sql["deductions"], both)
            deducted = {(t, i): _dec(s) for t, i, s in cursor.fetchall()}
            cursor.execute(sql["decided"], both)
            decided = {(t, i): _dec(b) for t, i, b in cursor.fetchall()}
        if "progress" in want:
            cursor.execute(sql["done"], [pk])
            done = Counter(dict(cursor.fetchall()))
            cursor.execute(sql["audit"], [pk])
            latest = {row[0]: row for row in cursor.fetchall()}
        if "problems" in want:
            cursor.execute(sql["problem_cells"], [pk])
            problem_cells = cursor.fetchall()
            cursor.execute(sql["problem_breakdown"], [pk])
            breakdown = cursor.fetchall()
        elif "charts" in want:
            cursor.execute(sql["problem_counts"], [pk])
            problem_counts = dict(cursor.fetchall())
        if "common" in want:
            cursor.execute(sql["item_texts"], [pk, item_pk])
            item_texts = cursor.fetchall()

    # Scores: a decided item scores full marks minus deductions, never below zero, plus its bonus
    # when allowed; an undecided one none. A total, percentage, rank and grade only when every
    # item is decided.
    def score_table(campaign_id: int) -> dict:
        _id, _title, bonus_enabled, good, fairly_good, average, _may = campaigns[campaign_id]
        its = items[campaign_id]
        full_total = sum((full for _i, _t, full in its), ZERO)
        rows = []
        for target_id, _c, status, county, group, _start, _end in targets[campaign_id]:
            scores = []
            for item_id, _title, full in its:
                key = (target_id, item_id)
                if key not in decided:
                    scores.append(None)
                    continue
                score = max(full - deducted.get(key, ZERO), ZERO)
                scores.append(score + decided[key] if bonus_enabled else score)
            complete = bool(its) and None not in scores
            total = sum(scores, ZERO) if complete else None
            grade = ""
            if complete and full_total:
                grade = "差"
                for threshold, label in ((good, "好"), (fairly_good, "较好"), (average, "一般")):
                    if total * HUNDRED >= _dec(threshold) * full_total:
                        grade = label
                        break
            rows.append(
                {
                    "county": county,
                    "group": group,
                    "status": status,
                    "scores": scores,
                    "total": total,
                    "percent": (total * HUNDRED / full_total).quantize(CENT, rounding=ROUND_DOWN)
                    if complete and full_total
                    else None,
                    "grade": grade,
                }
            )
        known = sorted((r["total"] for r in rows if r["total"] is not None), reverse=True)
        first: dict[Decimal, int] = {}
        for position, total in enumerate(known, start=1):
            first.setdefault(total, position)
        for row in rows:
            row["rank"] = None if row["total"] is None else first[row["total"]]
        # The complete by rank, then the others by name.
        rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["county"]))
        return {
            "items": [title for _i, title, _f in its],
            "full": [full for _i, _t, full in its],
            "full_total": full_total,
            "rows": rows,
            "item_stats": [
                _stats([r["scores"][k] for r in rows if r["scores"][k] is not None]) for k in range(len(its))
            ],
            "total_stats": _stats([r["total"] for r in rows if r["total"] is not None]),
            "grades": Counter(r["grade"] for r in rows if r["grade"]),
        }

    out: dict = {"title": campaigns[pk][1]}
    scores = score_table(pk) if needs_scores else None
    if "scores" in want:
        out["scores"] = scores

    if "progress" in want:
        editable = (Target.Status.DRAFTING, Target.Status.RETURNED)
        progress: dict[str, dict] = {}
        for target_id, _c, status, county, group, start, end in targets[pk]:
            entry = progress.setdefault(group, {"start": start, "end": end, "rows": []})
            last = latest.get(target_id)
            entry["rows"].append(
                {
                    "county": county,
                    "status": status,
                    "done": done[target_id],
                    "total": len(items[pk]),
                    "last_at": last[1] if last else None,
                    "last_by": (last[2] or last[3]) if last else "",
                    "overdue": bool(end and str(end) < today.isoformat() and status in editable),
                }
            )
        for entry in progress.values():
            entry["rows"].sort(key=lambda r: r["county"])
        out["progress"] = progress

    county_of = {row[0]: row[3] for row in targets[pk]}
    if "problems" in want:
        per_item: dict[int, dict] = defaultdict(lambda: {"n": 0, "counties": 0})
        for item_id, _target_id, count in problem_cells:
            per_item[item_id]["n"] += count
            per_item[item_id]["counties"] += 1
        problem_counts = {item_id: cell["n"] for item_id, cell in per_item.items()}
        kind_labels = dict(Unit.Kind.choices)
        rectification_labels = dict(Problem.Rectification.choices)
        by_kind, by_category, by_rectification = Counter(), Counter(), Counter()
        for kind, category, rectification, count in breakdown:
            by_kind[str(kind_labels.get(kind, "未指定单位"))] += count
            by_category[category or "未分类"] += count
            by_rectification[str(rectification_labels[rectification])] += count
        n_default = max(2, math.ceil(len(targets[pk]) / 5))  # the page's default N
        out["problems"] = {
            "total": sum(problem_counts.values()),
            "by_item": [
                (title, per_item[item_id]["n"], per_item[item_id]["counties"])
                for item_id, title, _f in items[pk]
            ],
            "by_kind": by_kind.most_common(),
            "by_category": sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0])),
            "by_rectification": sorted(by_rectification.items()),
            # Items flagged in at least N counties: how many counties and problems.
            "common": [
                (title, per_item[item_id]["counties"], per_item[item_id]["n"])
                for item_id, title, _f in items[pk]
                if per_item[item_id]["counties"] >= n_default
            ],
        }

    if "common" in want:
        counties: dict[str, dict] = {}
        for target_id, text, count in item_texts:
            counties.setdefault(county_of[target_id], {"n": count, "texts": []})["texts"].append(text)
        out["common"] = sorted((c, v["texts"], v["n"]) for c, v in counties.items())

    if "charts" in want:
        out["charts"] = {
            "items": scores["items"],
            "item_stats": scores["item_stats"],
            "full": scores["full"],
            "ranking": [(r["county"], r["total"], r["rank"], r["grade"]) for r in scores["rows"]],
            "problems": [problem_counts.get(item_id, 0) for item_id, _t, _f in items[pk]],
        }

    if "compare" in want:
        # Against the previous campaign: items matched by title, counties by name.
        comparison = None
        if previous is not None:
            before = score_table(previous)
            before_rows = {r["county"]: r for r in before["rows"]}
            before_index = {title: k for k, title in enumerate(before["items"])}
            shared = [(k, title) for k, title in enumerate(scores["items"]) if title in before_index]
            rows = []
            for row in scores["rows"]:
                old = before_rows.get(row["county"])
                if old is None or row["total"] is None or old["total"] is None:  # only complete totals
                    continue
                deltas = [
                    (title, row["scores"][k] - old["scores"][before_index[title]]) for k, title in shared
                ]
                drops = [d for d in deltas if d[1] < 0]
                rows.append(
                    {
                        "county": row["county"],
                        "now": row["total"],
                        "before": old["total"],
                        "delta": row["total"] - old["total"],
                        "items": deltas,
                        "worst": min(drops, key=lambda d: d[1])[0] if drops else None,
                    }
                )
            rows.sort(key=lambda r: r["delta"])
            comparison = {"previous": campaigns[previous][1], "titles": [t for _k, t in shared], "rows": rows}
        out["comparison"] = comparison
    return out


def baseline_view(request, pk: int, part: str):
    """One page's aggregates from raw SQL, as JSON: no ORM, no template."""
    from django.http import Http404, HttpResponse
    from django.utils import timezone

    if part not in PART_NAMES:
        raise Http404
    item = request.GET.get("item")
    data = baseline_aggregates(
        pk, request.user, timezone.localdate(), parts=(part,), item_pk=int(item) if item else None
    )
    if data is None:
        raise Http404
    return HttpResponse(json.dumps(data, ensure_ascii=False, default=str), content_type="application/json")


# -- checking that both compute the same --------------------------------------------------------


def _n(value) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _stats_n(stats) -> tuple | None:
    if stats is None:
        return None
    if isinstance(stats, dict):
        return (_n(stats["avg"]), _n(stats["min"]), _n(stats["max"]))
    if stats.average is None:
        return None
    return (_n(stats.average), _n(stats.minimum), _n(stats.maximum))


def app_view_of(campaign, today: dt.date, item) -> dict:
    """The application's own aggregates (reports.dashboard, assessment.selectors.scores), normalized."""
    from assessment.selectors.scores import campaign_scores
    from reports.dashboard import (
        campaign_progress,
        common_problem_texts,
        comparison_with_previous,
        problem_analysis,
        problems_per_item,
    )

    table = campaign_scores(campaign)
    analysis = problem_analysis(campaign)  # the page's default N
    _table, comparison = comparison_with_previous(campaign)
    return {
        "scores": {
            r.unit_name: (
                r.group_name,
                r.status,
                [_n(s) for s in r.scores],
                _n(r.total),
                _n(r.percent),
                r.rank,
                str(r.grade.label) if r.grade else "",
            )
            for r in table.rows
        },
        "items": [i.title for i in table.items],
        "item_stats": [_stats_n(s) for s in table.item_stats],
        "total_stats": _stats_n(table.total_stats),
        "grades": {str(g.label): n for g, n in table.grade_counts.items() if n},
        "progress": {
            g.name: {
                r.target.unit.name: (r.target.status, r.done, r.total, r.last_by, r.overdue) for r in g.rows
            }
            for g in campaign_progress(campaign, today=today)
        },
        "problems": {
            "total": analysis.total,
            "by_item": [(item.title, n, c) for item, n, c in analysis.by_item],
            "by_kind": sorted(analysis.by_kind),
            "by_category": sorted(analysis.by_category),
            "by_rectification": sorted((str(label), n) for label, n in analysis.by_rectification),
            "common": [(cp.item.title, cp.counties, cp.problems) for cp in analysis.common],
        },
        "common": sorted((c.county, c.texts, c.count) for c in common_problem_texts(campaign, item)),
        "problems_per_item": problems_per_item(campaign, table.items),
        "comparison": None
        if comparison is None
        else {
            "previous": comparison.previous.title,
            "titles": comparison.item_titles,
            "rows": {
                r.county: (
                    _n(r.now),
                    _n(r.before),
                    _n(r.delta),
                    [(title, _n(d)) for title, d in zip(comparison.item_titles, r.deltas, strict=True)],
                    r.worst.title if r.worst else None,
                )
                for r in comparison.rows
            },
        },
    }


def baseline_view_of(data: dict) -> dict:
    """The baseline's aggregates, normalized like app_view_of."""
    scores = data["scores"]
    comparison = data["comparison"]
    return {
        "scores": {
            r["county"]: (
                r["group"],
                r["status"],
                [_n(s) for s in r["scores"]],
                _n(r["total"]),
                _n(r["percent"]),
                r["rank"],
                r["grade"],
            )
            for r in scores["rows"]
        },
        "items": scores["items"],
        "item_stats": [_stats_n(s) for s in scores["item_stats"]],
        "total_stats": _stats_n(scores["total_stats"]),
        "grades": dict(scores["grades"]),
        "progress": {
            name: {
                r["county"]: (r["status"], r["done"], r["total"], r["last_by"], r["overdue"])
                for r in g["rows"]
            }
            for name, g in data["progress"].items()
        },
        "problems": {
            **{k: data["problems"][k] for k in ("total", "by_item", "common")},
            "by_kind": sorted(data["problems"]["by_kind"]),
            "by_category": sorted(data["problems"]["by_category"]),
            "by_rectification": sorted(data["problems"]["by_rectification"]),
        },
        "problems_per_item": data["charts"]["problems"],
        "common": data["common"],
        "comparison": None
        if comparison is None
        else {
            "previous": comparison["previous"],
            "titles": comparison["titles"],
            "rows": {
                r["county"]: (
                    _n(r["now"]),
                    _n(r["before"]),
                    _n(r["delta"]),
                    [(t, _n(d)) for t, d in r["items"]],
                    r["worst"],
                )
                for r in comparison["rows"]
            },
        },
    }


def differences(app: dict, base: dict, path: str = "") -> list[str]:
    if isinstance(app, dict) and isinstance(base, dict):
        out = []
        for key in sorted(set(app) | set(base), key=str):
            if key not in app or key not in base:
                out.append(f"{path}/{key}: only in the {'application' if key in app else 'baseline'}")
            else:
                out += differences(app[key], base[key], f"{path}/{key}")
        return out
    if json.dumps(app, default=str, ensure_ascii=False) != json.dumps(base, default=str, ensure_ascii=False):
        return [f"{path}: application {str(app)[:200]} ≠ baseline {str(base)[:200]}"]
    return []
