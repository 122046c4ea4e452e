"""Backup and restore (core/backup.py): an archive restored into a fresh database gives back the
same finalized report, byte for byte, and the same evidence files; a damaged or unfitting archive
is refused before anything is written."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from accounts import audit
from accounts.models import AuditLog
from assessment.services import findings, overview, workflow
from assessment.services.editing import LATEST
from assessment.services.evidence import evidence_attach
from core import backup
from reports.exporting import report_export

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGN, COUNTY = "2021年度党建工作年终考核", "青山县"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def finalized(transactional_db, setup, settings, tmp_path):
    """A finalized 青山县 with findings, texts, an evidence image and a security log entry; its
    report as exported now. Committed (the backup reads the database as others would)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    s, target, item = setup, setup["qs_target"], setup["item"]
    deduction = findings.deduction_create(
        target=target, item=item, criterion=None, unit=None, points="1.5", reason="台账不全", user=s["member"]
    )
    evidence_attach(deduction=deduction, upload=SimpleUploadedFile("现场.png", _png()), user=s["member"])
    findings.problem_create(target=target, item=item, text="部分村“三会一课”记录不全", user=s["member"])
    findings.point_create(
        target=target, item=item, headline="凝聚人心有声势", body="做法扎实。", user=s["member"]
    )
    findings.score_decide(target=target, item=item, decided=True, version=LATEST, user=s["leader"])
    findings.evaluation_lead_save(
        target=target, item=item, lead="青山县工作扎实有效。", version=LATEST, user=s["leader"]
    )
    overview.narrative_save(
        target=target, narrative="2021年，青山县始终以党的政治建设为统领。", version=LATEST, user=s["leader"]
    )
    overview.example_create(target=target, title="院落自治", body="好做法。", user=s["leader"])
    workflow.target_submit(target=target, user=s["leader"])
    workflow.target_approve(target=target, user=s["reviewer"])
    workflow.target_finalize(target=target, user=s["admin"])
    audit.record(AuditLog.Kind.LOGIN, actor=s["admin"], username="boss")
    target.refresh_from_db()
    data, _record = report_export(target=target, user=s["admin"])
    evidence = deduction.evidence.get()
    return {
        **s,
        "report_sha256": hashlib.sha256(data).hexdigest(),
        "evidence_name": evidence.file.name,
        "evidence_sha256": evidence.sha256,
    }


def _fresh_database(tmp_path):
    """A DATABASE_URL of an empty database beside the test database, and how to drop it."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.sqlite3'}", lambda: None
    name = f"djkh_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    p = connection.settings_dict
    url = (
        f"postgres://{p['USER']}:{p['PASSWORD'] or ''}@{p['HOST'] or '127.0.0.1'}:{p['PORT'] or 5432}/{name}"
    )

    def drop():
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, drop


def _manage(*args: str, database_url: str, media: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local", DATABASE_URL=database_url, MEDIA_ROOT=str(media)
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_a_backup_restored_into_a_fresh_database_exports_the_same_report(finalized, tmp_path):
    call_command("backup", output_dir=str(tmp_path / "archives"), stdout=io.StringIO())
    (archive,) = (tmp_path / "archives").glob("djkh-backup-*.tar.gz")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # the whole database: for its owner only
    url, drop = _fresh_database(tmp_path)
    media = tmp_path / "restored-media"
    try:
        restored = _manage("restore", str(archive), database_url=url, media=media)
        assert restored.returncode == 0, restored.stderr
        assert "已与备份时的行数逐表核对一致" in restored.stdout and "上传文件 2 个" in restored.stdout
        exported = _manage(
            "export_report",
            "--campaign",
            CAMPAIGN,
            "--target",
            COUNTY,
            "-o",
            str(tmp_path / "again.docx"),
            "--user",
            "boss",
            database_url=url,
            media=media,
        )
        assert exported.returncode == 0, exported.stderr
        assert (
            hashlib.sha256((tmp_path / "again.docx").read_bytes()).hexdigest() == finalized["report_sha256"]
        )
        evidence = media / finalized["evidence_name"]
        assert hashlib.sha256(evidence.read_bytes()).hexdigest() == finalized["evidence_sha256"]
        # Again into the same database: it holds data now, so only when told to replace it.
        again = _manage("restore", str(archive), database_url=url, media=media)
        assert again.returncode != 0 and "确认要替换时请加 --force" in again.stderr
        again = _manage("restore", str(archive), "--force", database_url=url, media=media)
        assert again.returncode == 0, again.stderr
        if connection.vendor == "postgresql":
            # The security log's trigger came back with the data: the log is still append-only.
            code = (
                "from django.db import connection\n"
                "try:\n"
                "    with connection.cursor() as c: c.execute(\"UPDATE accounts_auditlog SET username = 'x'\")\n"
                "except Exception as e: print('refused', e)\n"
            )
            probe = _manage("shell", "--no-imports", "-c", code, database_url=url, media=media)
            assert "refused" in probe.stdout and "审计日志只能追加" in probe.stdout, (
                probe.stdout + probe.stderr
            )
    finally:
        drop()


def test_restore_refuses_a_database_that_holds_data_and_changes_nothing(finalized, tmp_path):
    call_command("backup", output_dir=str(tmp_path), stdout=io.StringIO())
    (archive,) = tmp_path.glob("djkh-backup-*.tar.gz")
    entries = AuditLog.objects.count()
    with pytest.raises(CommandError, match="当前数据库已有数据.*确认要替换时请加 --force"):
        call_command("restore", str(archive))
    assert AuditLog.objects.count() == entries


def test_backup_keeps_the_newest_archives_it_is_told_to(tmp_path):
    for stamp in ("20250101-020000", "20250102-020000", "20250103-020000"):
        (tmp_path / f"djkh-backup-{stamp}.tar.gz").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("not a backup")
    removed = backup.prune(tmp_path, keep=2)
    assert [p.name for p in removed] == ["djkh-backup-20250101-020000.tar.gz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "djkh-backup-20250102-020000.tar.gz",
        "djkh-backup-20250103-020000.tar.gz",
        "notes.txt",
    ]


# --- archives that must be refused (checked before anything is written) -------------------------------


def _archive(path: Path, members: dict[str, bytes], manifest: dict | None) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        entries = dict(members)
        if manifest is not None:
            entries["manifest.json"] = json.dumps(manifest).encode()
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _manifest(members: dict[str, bytes], vendor: str = "sqlite", **extra) -> dict:
    files = [{"path": k, "size": len(v), "sha256": hashlib.sha256(v).hexdigest()} for k, v in members.items()]
    return {
        "format": backup.FORMAT,
        "database": {"vendor": vendor, "file": f"database.{'sqlite3' if vendor == 'sqlite' else 'pgdump'}"},
        "migrations": {},
        "counts": {},
        "files": files,
        **extra,
    }


GOOD = {"database.sqlite3": b"SQLite format 3\0", "media/evidence/a.pdf": b"%PDF-1.4 evidence"}


def _refused(tmp_path, archive: Path) -> str:
    with pytest.raises(backup.BackupError) as exc:
        backup.unpack(archive, tmp_path / "unpacked")
    return str(exc.value)


def test_a_changed_file_fails_its_checksum(tmp_path):
    manifest = _manifest(GOOD)
    tampered = {**GOOD, "media/evidence/a.pdf": b"%PDF-1.4 evidencX"}
    message = _refused(tmp_path, _archive(tmp_path / "a.tar.gz", tampered, manifest))
    assert message == "校验失败：“media/evidence/a.pdf”与备份时的 SHA-256 不一致，备份文件已损坏或被改动。"


def test_a_missing_file_an_extra_file_and_no_manifest_are_refused(tmp_path):
    manifest = _manifest(GOOD)
    only_db = {"database.sqlite3": GOOD["database.sqlite3"]}
    assert _refused(tmp_path, _archive(tmp_path / "a.tar.gz", only_db, manifest)) == (
        "备份文件不完整：缺少“media/evidence/a.pdf”。"
    )
    extra = {**GOOD, "media/evil.html": b"<script>"}
    assert "清单未列出的“media/evil.html”" in _refused(
        tmp_path / "2", _archive(tmp_path / "b.tar.gz", extra, manifest)
    )
    assert "缺少清单 manifest.json" in _refused(tmp_path / "3", _archive(tmp_path / "c.tar.gz", GOOD, None))


def test_a_truncated_archive_is_refused(tmp_path):
    whole = _archive(tmp_path / "a.tar.gz", GOOD, _manifest(GOOD)).read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    assert "已损坏或不完整" in _refused(tmp_path, cut)


def test_a_path_outside_the_archive_is_refused(tmp_path):
    members = {**GOOD, "../../etc/cron.d/evil": b"* * * * * root rm -rf /"}
    message = _refused(tmp_path, _archive(tmp_path / "a.tar.gz", members, _manifest(members)))
    assert message == "备份文件中有不安全的条目“../../etc/cron.d/evil”，已拒绝恢复。"
    assert not (tmp_path.parent.parent / "etc").exists()


def test_an_archive_of_the_other_database_is_refused(db, tmp_path):
    vendor = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    members = {_manifest({}, vendor)["database"]["file"]: b"dump"}
    archive = _archive(tmp_path / "a.tar.gz", members, _manifest(members, vendor))
    with pytest.raises(CommandError, match="数据库的备份，当前使用的是 .* 数据库，不能恢复"):
        call_command("restore", str(archive))


def test_an_archive_from_a_newer_version_is_refused(db, tmp_path):
    vendor = connection.vendor
    members = {_manifest({}, vendor)["database"]["file"]: b"dump"}
    manifest = _manifest(members, vendor, migrations={"assessment": "9999_from_the_future"})
    archive = _archive(tmp_path / "a.tar.gz", members, manifest)
    with pytest.raises(CommandError, match="备份来自更新版本的程序.*assessment.9999_from_the_future"):
        call_command("restore", str(archive))


def test_a_missing_archive_is_explained(db, tmp_path):
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "nothing.tar.gz"))
