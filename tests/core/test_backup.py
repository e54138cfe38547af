"""Backup and restore of the database and the media files (core/backup.py, the commands
backup, restore and check_restore; docs/OPERATIONS.md).  On SQLite, and on PostgreSQL when
DATABASE_URL names one."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from pledgebook.core import backup
from pledgebook.core.models import WorkerHeartbeat
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def world(settings, tmp_path: Path) -> Path:
    """Some rows and some media files (evidence and a generated report)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    factories.ProgrammeFactory.create_batch(2)
    factories.UserFactory.create_batch(3)
    for name, data in {
        "evidence/2026/a1.pdf": b"%PDF-1.4 evidence " * 100,
        "evidence/2026/b2.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10,
        "reports/annual-2026.pdf": b"%PDF-1.4 report",
    }.items():
        (settings.MEDIA_ROOT / name).parent.mkdir(parents=True, exist_ok=True)
        (settings.MEDIA_ROOT / name).write_bytes(data)
    return Path(settings.MEDIA_ROOT)


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in backup.media_files(root)}


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database of the same vendor as the site's."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"pb_restore_{uuid.uuid4().hex[:10]}"
    with backup._pg_connect(db, "postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        yield f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    finally:
        with backup._pg_connect(db, "postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def test_backup_then_restore_into_fresh_ones_gives_the_same(
    world: Path, tmp_path: Path, fresh_database: str
) -> None:
    counts = backup.count_tables(connection.settings_dict)
    assert counts["programmes_programme"] == 2
    out = run("backup", str(tmp_path / "b"))
    assert "Backed up to" in out

    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor.replace("postgresql", "postgresql")
    assert manifest["database"]["tables"] == counts
    assert [(f["name"], f["size"]) for f in manifest["media"]["files"]] == [
        ("evidence/2026/a1.pdf", 1800),
        ("evidence/2026/b2.png", 2568),
        ("reports/annual-2026.pdf", 15),
    ]
    for part in ("database", "media"):
        path = tmp_path / "b" / manifest[part]["file"]
        assert backup.sha256_of(path) == manifest[part]["sha256"]

    restored_media = tmp_path / "restored-media"
    run(
        "restore",
        str(tmp_path / "b"),
        "--database-url",
        fresh_database,
        "--media-root",
        str(restored_media),
    )
    target = dict(__import__("environ").Env.db_url_config(fresh_database))
    assert backup.count_tables(target) == counts
    assert files(restored_media) == files(world)
    # The rows themselves, not only their number.
    sql = "SELECT username FROM auth_user ORDER BY id"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        expected = cursor.fetchall()
    if connection.vendor == "sqlite":
        import sqlite3

        with sqlite3.connect(target["NAME"]) as conn:
            assert [tuple(r) for r in conn.execute(sql)] == expected
    else:
        with backup._pg_connect(target) as conn:
            assert [tuple(r) for r in conn.execute(sql)] == expected

    assert "restores whole" in run("check_restore", str(tmp_path / "b"))


def test_backup_verify(world: Path, tmp_path: Path) -> None:
    out = run("backup", str(tmp_path / "b"), "--verify")
    assert "restores whole: " in out and "3 media files" in out


def test_a_backup_needs_a_new_directory(world: Path, tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "old").write_text("x")
    with pytest.raises(CommandError, match="is not empty"):
        run("backup", str(tmp_path / "b"))


def test_restore_refuses_a_database_or_media_that_hold_something(
    world: Path, tmp_path: Path
) -> None:
    run("backup", str(tmp_path / "b"))
    with pytest.raises(CommandError) as refused:
        run("restore", str(tmp_path / "b"))  # the site's own database and MEDIA_ROOT
    message = str(refused.value)
    assert "Restore refused: the database" in message and "has tables" in message
    assert f"the media directory {world} is not empty" in message and "--force" in message


def test_restore_force_replaces(world: Path, tmp_path: Path, fresh_database: str) -> None:
    run("backup", str(tmp_path / "b"))
    target = tmp_path / "elsewhere"
    (target / "stale").mkdir(parents=True)
    (target / "stale" / "left-over.pdf").write_bytes(b"old")
    args = ["restore", str(tmp_path / "b"), "--database-url", fresh_database]
    run(*args, "--media-root", str(tmp_path / "first"))
    with pytest.raises(CommandError, match="Restore refused"):
        run(*args, "--media-root", str(target))
    run(*args, "--media-root", str(target), "--force")
    assert files(target) == files(world)


def test_check_restore_finds_a_damaged_media_archive(world: Path, tmp_path: Path) -> None:
    run("backup", str(tmp_path / "b"))
    tar = tmp_path / "b" / "media.tar"
    data = bytearray(tar.read_bytes())
    data[600] ^= 0xFF  # inside the first file's content
    tar.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="does not restore to what its manifest records"):
        run("check_restore", str(tmp_path / "b"))


def test_check_restore_finds_a_damaged_database_dump(world: Path, tmp_path: Path) -> None:
    run("backup", str(tmp_path / "b"))
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    dump = tmp_path / "b" / manifest["database"]["file"]
    dump.write_bytes(dump.read_bytes()[:-100])  # truncated
    result = backup.check(tmp_path / "b", db=connection.settings_dict)
    assert any("bytes, the manifest says" in p for p in result.problems)
    with pytest.raises(CommandError):
        run("check_restore", str(tmp_path / "b"))


def test_check_restore_finds_rows_and_files_that_differ(world: Path, tmp_path: Path) -> None:
    """A dump whose content is not what was counted (parts that agree with their sha256, but
    restore to other rows and files): rewritten manifest, as a mismatched pair would be."""
    run("backup", str(tmp_path / "b"))
    path = tmp_path / "b" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["database"]["tables"]["auth_user"] += 1
    manifest["media"]["files"][0]["sha256"] = "0" * 64
    manifest["media"]["files"].append({"name": "evidence/gone.pdf", "size": 1, "sha256": "0"})
    path.write_text(json.dumps(manifest))
    result = backup.check(tmp_path / "b", db=connection.settings_dict)
    assert result.problems == [
        "table auth_user: 3 rows, the manifest says 4",
        "media file evidence/2026/a1.pdf: its sha256 differs",
        "media file evidence/gone.pdf is missing",
    ]


def test_restore_refuses_a_damaged_backup_before_touching_anything(
    world: Path, tmp_path: Path, fresh_database: str
) -> None:
    run("backup", str(tmp_path / "b"))
    (tmp_path / "b" / "media.tar").write_bytes(b"not a tar")
    with pytest.raises(CommandError, match=r"The backup is damaged: media\.tar"):
        run("restore", str(tmp_path / "b"), "--database-url", fresh_database)
    target = dict(__import__("environ").Env.db_url_config(fresh_database))
    assert backup.database_is_empty(target)


def test_not_a_backup(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"manifest\.json is missing"):
        run("check_restore", str(tmp_path))


def test_heartbeats_are_rows_like_any_other(world: Path, tmp_path: Path) -> None:
    WorkerHeartbeat.objects.create(
        worker_id="w",
        hostname="h",
        pid=1,
        queues="*",
        started_at="2026-01-01T00:00Z",
        beat_at="2026-01-01T00:00Z",
    )
    manifest = backup.backup(tmp_path / "b", db=connection.settings_dict, media_root=world)
    assert manifest["database"]["tables"]["core_workerheartbeat"] == 1
