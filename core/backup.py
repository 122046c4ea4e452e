"""Backup and restore: the database and the uploaded files in one archive, with their checksums.

An archive (``djkh-backup-<date>-<time>.tar.gz``) holds:

- ``database.pgdump`` (``pg_dump --format=custom`` on PostgreSQL) or ``database.sqlite3`` (SQLite's
  online backup API: a consistent copy while the application keeps running);
- ``media/…``: every file under MEDIA_ROOT (evidence, thumbnails, imported workbooks, report ZIPs);
- ``manifest.json``, written last: the format, when, the database's vendor, the latest migration
  of each app, the number of rows of each model, and the size and SHA-256 of every file above.

The database is copied before the files, so a file uploaded meanwhile is in the archive (an
orphan at worst) rather than a row pointing at a file that is not.

``restore`` unpacks into a temporary directory, checks every checksum and that the archive fits
this database and this version of the program, and only then replaces the database and copies the
files. It refuses a database that already holds data unless told to replace it (``force``).
"""

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "djkh-backup 1"
MANIFEST = "manifest.json"
NAME_PATTERN = re.compile(r"^djkh-backup-\d{8}-\d{6}(?:-\d+)?\.tar\.gz$")
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Tables that `migrate` fills by itself: a database holding rows only there is still empty.
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "django_session"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why, in Chinese."""


@dataclass
class Restored:
    counts: dict[str, int]
    files: int
    pending_migrations: list[str] = field(default_factory=list)


# --- helpers ------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _connection(alias: str = DEFAULT_DB_ALIAS):
    connection = connections[alias]
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(_("不支持备份 %(vendor)s 数据库。") % {"vendor": connection.vendor})
    return connection


def _pg_tool(name: str) -> str:
    """pg_dump / pg_restore: from $PG_BIN, else the newest /usr/lib/postgresql/*/bin, else PATH."""
    candidates = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]) / name)
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True
    )
    candidates += [p / name for p in versions if p.parent.name.isdigit()]
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(
        _(
            "找不到 PostgreSQL 的 %(tool)s 程序。请安装 postgresql-client，或用环境变量 PG_BIN 指明其所在目录。"
        )
        % {"tool": name}
    )


def _pg_env(connection) -> dict[str, str]:
    """libpq's environment for the database Django uses: no password on a command line."""
    params = connection.settings_dict
    env = {**os.environ}
    for key, value in (
        ("PGHOST", params.get("HOST")),
        ("PGPORT", params.get("PORT")),
        ("PGUSER", params.get("USER")),
        ("PGPASSWORD", params.get("PASSWORD")),
        ("PGDATABASE", params.get("NAME")),
        ("PGSSLMODE", (params.get("OPTIONS") or {}).get("sslmode")),
    ):
        if value:
            env[key] = str(value)
    return env


def _run(command: list[str], env: dict, what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            _("%(what)s失败（%(tool)s 退出码 %(code)d）：%(error)s")
            % {
                "what": what,
                "tool": Path(command[0]).name,
                "code": result.returncode,
                "error": (result.stderr or result.stdout).strip()[-2000:],
            }
        )


TABLES_SQL = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
}


def _facts(vendor: str, query: Callable[[str], list]) -> tuple[dict[str, str], dict[str, int]]:
    """The latest migration of each app and the rows of each model, read with ``query`` (SQL →
    rows) from one consistent view of the database: the copy, or the snapshot pg_dump exports."""
    tables = {row[0] for row in query(TABLES_SQL[vendor])}
    latest: dict[str, str] = {}
    if "django_migrations" in tables:
        for app, name in query('SELECT app, name FROM "django_migrations"'):
            latest[app] = max(latest.get(app, name), name)
    counts = {}
    for model in apps.get_models():
        table = model._meta.db_table
        if model._meta.managed and not model._meta.proxy and table in tables:
            counts[model._meta.label_lower] = query(f'SELECT count(*) FROM "{table}"')[0][0]
    return latest, counts


def _query(connection) -> Callable[[str], list]:
    def run(sql: str) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    return run


# --- backup -------------------------------------------------------------------------------------


def _dump_database(connection, path: Path) -> tuple[dict[str, str], dict[str, int]]:
    """Copy the database into ``path``; return its migrations and row counts as copied."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)  # consistent, while others keep writing
            return _facts("sqlite", lambda sql: target.execute(sql).fetchall())
        finally:
            target.close()
    tool = _pg_tool("pg_dump")
    with transaction.atomic(using=connection.alias):
        # pg_dump reads the snapshot this transaction exports, so the counts are of what it dumps.
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        facts = _facts("postgresql", _query(connection))
        command = [
            tool,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot}",
            f"--file={path}",
        ]
        _run(command, _pg_env(connection), _("导出数据库"))
    return facts


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def archive_name(now: dt.datetime | None = None) -> str:
    return f"djkh-backup-{timezone.localtime(now):%Y%m%d-%H%M%S}.tar.gz"


def backup(*, directory: Path, keep: int | None = None, alias: str = DEFAULT_DB_ALIAS) -> tuple[Path, dict]:
    """Write one archive into ``directory``; with ``keep``, then delete all but the newest ``keep``
    archives there. Returns the archive's path and its manifest."""
    connection = _connection(alias)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = archive_name()
    final = directory / name
    suffix = 1
    while final.exists():
        final = directory / name.replace(".tar.gz", f"-{suffix}.tar.gz")
        suffix += 1
    partial = final.with_name(final.name + ".partial")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="djkh-backup-") as work:
        database = Path(work) / DATABASE_FILES[connection.vendor]
        migrations, counts = _dump_database(connection, database)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": {"vendor": connection.vendor, "file": database.name},
            "migrations": migrations,
            "counts": counts,
            "files": [],
        }
        entries = [(database, database.name)]
        entries += [
            (p, str(PurePosixPath("media", *p.relative_to(media_root).parts)))
            for p in _media_files(media_root)
        ]
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                for path, arcname in entries:
                    try:
                        manifest["files"].append(
                            {"path": arcname, "size": path.stat().st_size, "sha256": _sha256(path)}
                        )
                        archive.add(path, arcname=arcname, recursive=False)
                    except FileNotFoundError:  # deleted since it was listed: it is not in the backup
                        if manifest["files"] and manifest["files"][-1]["path"] == arcname:
                            manifest["files"].pop()
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
                archive.addfile(info, io.BytesIO(data))
            os.replace(partial, final)  # a backup cut short never looks like a finished one
        finally:
            if partial.exists():
                partial.unlink()
    if keep:
        prune(directory, keep)
    return final, manifest


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` archives (by name, which holds the time) in ``directory``."""
    archives = sorted(p for p in directory.iterdir() if NAME_PATTERN.match(p.name))
    removed = archives[: max(0, len(archives) - keep)]
    for path in removed:
        path.unlink()
    return removed


# --- restore ------------------------------------------------------------------------------------


def _safe_member(member: tarfile.TarInfo) -> PurePosixPath:
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts or not path.parts or not member.isfile():
        raise BackupError(_("备份文件中有不安全的条目“%(name)s”，已拒绝恢复。") % {"name": member.name})
    return path


def unpack(archive: Path, into: Path) -> dict:
    """Unpack ``archive`` into ``into`` and check it entirely: the manifest, every file's size and
    SHA-256, nothing missing and nothing extra. Returns the manifest."""
    if not archive.is_file():
        raise BackupError(_("找不到备份文件 %(path)s。") % {"path": archive})
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                relative = _safe_member(member)
                target = into.joinpath(*relative.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                with open(target, "wb") as handle:
                    shutil.copyfileobj(source, handle, CHUNK)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise BackupError(
            _("备份文件 %(path)s 已损坏或不完整，无法读取（%(error)s）。")
            % {"path": archive.name, "error": exc}
        ) from None
    manifest_path = into / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(
            _("备份文件 %(path)s 缺少清单 manifest.json，不是完整的备份。") % {"path": archive.name}
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("备份文件的格式“%(format)s”无法识别（应为“%(expected)s”）。")
            % {"format": manifest.get("format"), "expected": FORMAT}
        )
    listed = {entry["path"]: entry for entry in manifest.get("files", [])}
    present = {str(PurePosixPath(*p.relative_to(into).parts)) for p in into.rglob("*") if p.is_file()} - {
        MANIFEST
    }
    missing, extra = sorted(set(listed) - present), sorted(present - set(listed))
    if missing:
        raise BackupError(_("备份文件不完整：缺少“%(path)s”。") % {"path": missing[0]})
    if extra:
        raise BackupError(_("备份文件中有清单未列出的“%(path)s”，已拒绝恢复。") % {"path": extra[0]})
    for path, entry in sorted(listed.items()):
        actual = into.joinpath(*PurePosixPath(path).parts)
        if actual.stat().st_size != entry["size"] or _sha256(actual) != entry["sha256"]:
            raise BackupError(
                _("校验失败：“%(path)s”与备份时的 SHA-256 不一致，备份文件已损坏或被改动。") % {"path": path}
            )
    database = manifest.get("database", {})
    if database.get("file") not in listed:
        raise BackupError(_("备份文件中没有数据库。"))
    return manifest


def _check_fits(manifest: dict, connection) -> None:
    vendor = manifest["database"].get("vendor")
    if vendor != connection.vendor:
        raise BackupError(
            _(
                "这是 %(theirs)s 数据库的备份，当前使用的是 %(ours)s 数据库，不能恢复。请用 DATABASE_URL 指向 %(theirs)s 数据库。"
            )
            % {
                "theirs": VENDOR_NAMES.get(vendor, vendor),
                "ours": VENDOR_NAMES.get(connection.vendor, connection.vendor),
            }
        )
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    known = {key for key in graph.nodes}
    unknown = [
        f"{app}.{name}" for app, name in manifest.get("migrations", {}).items() if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            _("备份来自更新版本的程序（本程序没有数据库迁移 %(names)s），请先升级程序再恢复。")
            % {"names": "、".join(unknown)}
        )


def holds_data(connection) -> list[str]:
    """The tables (other than Django's own bookkeeping) that hold at least one row."""
    tables = [t for t in connection.introspection.table_names() if t not in BOOKKEEPING]
    quote = connection.ops.quote_name
    full = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
            if cursor.fetchone():
                full.append(table)
    return full


def _clear_postgresql(connection) -> None:
    """Drop this database's tables and functions (in the public schema) before pg_restore."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [row[0] for row in cursor.fetchall()]
        if tables:
            cursor.execute(
                "DROP TABLE IF EXISTS " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE"
            )
        cursor.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
            " LEFT JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'"
            " WHERE n.nspname = 'public' AND d.objid IS NULL"
        )
        for (function,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION IF EXISTS {function} CASCADE")


def _load_database(connection, path: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)  # replaces every page of the current database
        finally:
            source.close()
        return
    _clear_postgresql(connection)
    connection.close()
    command = [
        _pg_tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={connection.settings_dict['NAME']}",
        str(path),
    ]
    _run(command, _pg_env(connection), _("恢复数据库"))


def _copy_media(source: Path, media_root: Path) -> int:
    copied = 0
    if not source.is_dir():
        return copied
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        target = media_root.joinpath(*path.relative_to(source).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copied += 1
    return copied


def restore(*, archive: Path, force: bool = False, alias: str = DEFAULT_DB_ALIAS) -> Restored:
    """Bring an archive back: checked first, then the database replaced and the files copied into
    MEDIA_ROOT. Refuses a database holding data unless ``force``."""
    connection = _connection(alias)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="djkh-restore-") as work:
        root = Path(work)
        manifest = unpack(archive, root)
        _check_fits(manifest, connection)
        full = holds_data(connection)
        if full and not force:
            raise BackupError(
                _("当前数据库已有数据（%(tables)s 等表），恢复会将其全部替换。确认要替换时请加 --force。")
                % {"tables": "、".join(full[:5])}
            )
        _load_database(connection, root / manifest["database"]["file"])
        files = _copy_media(root / "media", media_root)
    connection.close()
    applied, counts = _facts(connection.vendor, _query(connection))
    expected = manifest.get("counts", {})
    differs = {k: (v, counts.get(k)) for k, v in expected.items() if counts.get(k) != v}
    if differs:
        names = "、".join(f"{k}（备份 {a}，恢复后 {b}）" for k, (a, b) in sorted(differs.items()))
        raise BackupError(_("恢复后的数据与备份时不一致：%(names)s。") % {"names": names})
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    pending = [f"{app}.{name}" for app, name in sorted(graph.leaf_nodes()) if applied.get(app, "") < name]
    return Restored(counts=counts, files=files, pending_migrations=pending)
