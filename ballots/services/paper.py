"""Paper ballots, in the same count: typed on the entry page or imported from Excel, one batch at a
time, all or nothing; a batch can be withdrawn (its ballots deleted, its record kept) until the
ballot closes. Each paper ballot keeps its 序号 so that a recount can find it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.uploads import upload_apply, upload_store
from core.xlsx import CellIssue

from ..domain.counting import ABSTAIN, INVALID
from ..importing import PaperRow, PaperSheet, Shape, read_paper_sheet
from ..models import Ballot, BallotImport, CastBallot, PaperBatch


def shape_of(ballot: Ballot) -> Shape:
    subjects = [
        (str(s.pk), tuple(dict.fromkeys((s.label, s.unit.name))))
        for s in ballot.subjects.select_related("unit")
    ]
    return Shape(
        subjects=subjects,
        categories=list(ballot.categories.values_list("name", flat=True)),
        options=list(ballot.options.values_list("label", flat=True)),
    )


def taken_serials(ballot: Ballot) -> set[str]:
    return set(CastBallot.objects.filter(ballot=ballot).exclude(serial="").values_list("serial", flat=True))


def _require_open(ballot: Ballot) -> None:
    if ballot.state != Ballot.State.OPEN:
        raise ValidationError(
            _("测评%(state)s，不能录入或撤回纸质票。") % {"state": ballot.get_state_display()}
        )


@transaction.atomic
def paper_enter(*, ballot: Ballot, user, rows: list[PaperRow], source: str, name: str = "") -> PaperBatch:
    """Store ``rows`` (already read and checked against the ballot's shape) as one batch."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    _require_open(ballot)
    if not rows:
        raise ValidationError(_("没有要录入的测评票。"))
    taken = taken_serials(ballot) & {r.serial for r in rows}
    if taken:
        raise ValidationError(
            _("序号 %(serials)s 已经录入过，请核对后重新录入。") % {"serials": "、".join(sorted(taken))}
        )
    categories = {c.name: c for c in ballot.categories.all()}
    subject_ids = {str(pk) for pk in ballot.subjects.values_list("pk", flat=True)}
    labels = set(ballot.options.values_list("label", flat=True)) | {ABSTAIN, INVALID}
    for row in rows:
        if (
            row.category not in categories
            or set(row.marks) != subject_ids
            or not set(row.marks.values()) <= labels
        ):
            raise ValidationError(_("测评票的内容与测评设置不符（测评对象、类别或选项已修改），请重新录入。"))
    batch = PaperBatch.objects.create(
        ballot=ballot, source=source, name=name[:255], count=len(rows), created_by=user
    )
    CastBallot.objects.bulk_create(
        [
            CastBallot(
                ballot=ballot,
                category=categories[row.category],
                channel=CastBallot.Channel.PAPER,
                marks=row.marks,
                serial=row.serial,
                batch=batch,
            )
            for row in rows
        ]
    )
    return batch


@transaction.atomic
def batch_withdraw(*, batch: PaperBatch, user, reason: str) -> PaperBatch:
    ballot = Ballot.objects.select_for_update().get(pk=batch.ballot_id)
    _require_open(ballot)
    batch = PaperBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.withdrawn:
        raise ValidationError(_("此批纸质票已经撤回。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("撤回须说明原因。"))
    CastBallot.objects.filter(batch=batch).delete()
    batch.withdrawn = True
    batch.withdrawn_reason = reason[:200]
    batch.save(update_fields=["withdrawn", "withdrawn_reason"])
    return batch


# --- the Excel import: preview → confirm ---------------------------------------------------------


def sheet_plan(*, ballot: Ballot, data: bytes, file_name: str) -> PaperSheet:
    """The workbook read against the ballot as it is now, 序号 already entered reported as errors."""
    sheet = read_paper_sheet(data=data, file_name=file_name, shape=shape_of(ballot))
    if ballot.state != Ballot.State.OPEN:
        sheet.errors.append(
            _issue(_("测评%(state)s，不能导入纸质票。") % {"state": ballot.get_state_display()})
        )
    taken = taken_serials(ballot)
    for row in sheet.rows:
        if row.serial in taken:
            sheet.errors.append(
                _issue(_("序号“%(serial)s”已经录入过。") % {"serial": row.serial}, row=row.row, sheet=sheet)
            )
    return sheet


def _issue(message: str, *, row: int | None = None, sheet: PaperSheet | None = None):
    table = sheet.table if sheet else None
    return CellIssue(
        row=row,
        sheet=table.sheet if table else None,
        column="序号" if row else None,
        letter=table.letter("serial") if table and row else None,
        message=message,
    )


def upload_create(*, ballot: Ballot, name: str, data: bytes, user) -> BallotImport:
    sheet = sheet_plan(ballot=ballot, data=data, file_name=name)
    return upload_store(model=BallotImport, name=name, data=data, user=user, plan=sheet, ballot=ballot)


def upload_apply_batch(*, upload: BallotImport, user) -> PaperSheet:
    """Import a previewed file, re-checked against the ballot as it is now: all or nothing."""
    result: dict = {}

    def run(data: bytes) -> PaperSheet:
        sheet = sheet_plan(ballot=upload.ballot, data=data, file_name=upload.original_name)
        if sheet.ok:
            result["batch"] = paper_enter(
                ballot=upload.ballot,
                user=user,
                rows=sheet.rows,
                source=PaperBatch.Source.EXCEL,
                name=upload.original_name,
            )
        return sheet

    sheet = upload_apply(upload=upload, run=run)
    if "batch" in result:
        upload.refresh_from_db()
        upload.batch = result["batch"]
        upload.save(update_fields=["batch"])
    return sheet
