"""Backup and restore of the database and the media files (docs/OPERATIONS.md).

A backup is a directory of three parts:

* ``database.pgdump`` (PostgreSQL: ``pg_dump -Fc`` in the snapshot of a repeatable-read
  transaction, the table counts read in that same snapshot) or ``database.sqlite3`` (SQLite:
  the online backup API, counts read from the copy): a consistent picture of the database
  while the site runs;
* ``media.tar``: every file of MEDIA_ROOT (uploaded evidence, coalition imports, generated
  reports), taken after the database, so that every file a row names is in it;
* ``manifest.json``, written last (a directory without it is an unfinished backup): when, the
  database vendor, the sha256 and size of each part, the row count of every table, and every
  media file with its size and sha256.

:func:`restore` loads a backup into an empty database and an empty media directory (or
replaces them with ``force``); :func:`check` restores into a scratch database and directory
and compares everything with the manifest.  The database is named by its settings
(``DATABASES``' form: ENGINE, NAME, USER, PASSWORD, HOST, PORT), so that a restore can aim at
another database than the one the site uses (``--database-url``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_TAR = "media.tar"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be made, read or restored (the message says why)."""


# Databases ----------------------------------------------------------------------------------


def vendor(db: dict[str, Any]) -> str:
    engine = db["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(f"No backup for the database engine {engine}.")


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_connect(db: dict[str, Any], name: str | None = None, **kwargs: Any) -> Any:
    import psycopg

    return psycopg.connect(
        dbname=name or db["NAME"],
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        **kwargs,
    )


def pg_tool(name: str) -> str:
    """``pg_dump`` / ``pg_restore``: PG_BIN_DIR, else the PATH, else Debian's directory."""
    candidates = [Path(os.environ["PG_BIN_DIR"]) / name] if os.environ.get("PG_BIN_DIR") else []
    if found := shutil.which(name):
        candidates.append(Path(found))
    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    raise BackupError(
        f"{name} was not found: install PostgreSQL's client (Debian: postgresql-client-15) "
        "or set PG_BIN_DIR."
    )


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 - no shell
    if done.returncode:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _pg_counts(conn: Any) -> dict[str, int]:
    from psycopg import sql

    tables = [
        row[0]
        for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    ]
    return {
        table: conn.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        ).fetchone()[0]
        for table in tables
    }


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {
        t: conn.execute(f'SELECT count(*) FROM "{t.replace(chr(34), chr(34) * 2)}"').fetchone()[0]  # noqa: S608 - a quoted table name
        for t in tables
    }


@contextmanager
def _sqlite(db: dict[str, Any]) -> Iterator[sqlite3.Connection]:
    """A raw connection to a SQLite database: Django's own when it is the site's (the test
    database lives in memory), else a new one."""
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        if connection.vendor == "sqlite" and connection.settings_dict["NAME"] == db["NAME"]:
            connection.ensure_connection()
            yield connection.connection
            return
    conn = sqlite3.connect(str(db["NAME"]))
    try:
        yield conn
    finally:
        conn.close()


def dump_database(db: dict[str, Any], out: Path) -> dict[str, int]:
    """Write a consistent copy of ``db`` to ``out``; the row count of each table in it."""
    if vendor(db) == "postgresql":
        from psycopg import IsolationLevel

        with _pg_connect(db, autocommit=False) as conn:
            conn.isolation_level = IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            _run(
                [
                    pg_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={out}",
                    f"--dbname={db['NAME']}",
                ],
                _pg_env(db),
            )
            counts = _pg_counts(conn)
            conn.rollback()
        return counts
    with _sqlite(db) as source:
        target = sqlite3.connect(out)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
            return _sqlite_counts(target)
        finally:
            target.close()


def database_is_empty(db: dict[str, Any]) -> bool:
    if vendor(db) == "postgresql":
        with _pg_connect(db) as conn:
            return not _pg_counts(conn)
    with _sqlite(db) as conn:
        return not _sqlite_counts(conn)


def load_database(db: dict[str, Any], dump: Path, *, force: bool = False) -> None:
    """Load ``dump`` into ``db`` (which must exist; for PostgreSQL, createdb).  ``force``
    first drops everything ``db`` holds."""
    if vendor(db) == "postgresql":
        if force:
            with _pg_connect(db, autocommit=True) as conn:
                conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
                conn.execute("CREATE SCHEMA public")
        _run(
            [
                pg_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={db['NAME']}",
                str(dump),
            ],
            _pg_env(db),
        )
        return
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    try:
        with _sqlite(db) as target:
            source.backup(target)  # replaces every page of the target
    finally:
        source.close()


def count_tables(db: dict[str, Any]) -> dict[str, int]:
    if vendor(db) == "postgresql":
        with _pg_connect(db) as conn:
            return _pg_counts(conn)
    with _sqlite(db) as conn:
        return _sqlite_counts(conn)


# Files --------------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _Hashing(io.RawIOBase):
    """A file read through once: its bytes go to tar and to sha256 at the same time."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file, self.digest = file, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.digest.update(data)
        return data


def media_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def tar_media(root: Path, out: Path) -> list[dict[str, Any]]:
    """Write every file under ``root`` to the tar ``out``; each one's name, size and sha256."""
    listed = []
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        for path in media_files(root):
            name = path.relative_to(root).as_posix()
            with open(path, "rb") as file:
                info = tar.gettarinfo(fileobj=file, arcname=name)
                hashing = _Hashing(file)
                tar.addfile(info, hashing)  # type: ignore[arg-type]
            listed.append({"name": name, "size": info.size, "sha256": hashing.digest.hexdigest()})
    return listed


def extract_media(archive: Path, root: Path) -> None:
    with tarfile.open(archive) as tar:
        tar.extractall(root, filter="data")  # no absolute path, no "..", no device


def _is_empty_dir(root: Path) -> bool:
    return not root.exists() or (root.is_dir() and not any(root.iterdir()))


# Backup, restore, check ---------------------------------------------------------------------


def backup(target: Path, *, db: dict[str, Any], media_root: Path) -> dict[str, Any]:
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: give a new directory for each backup.")
    target.mkdir(parents=True, exist_ok=True)
    kind = vendor(db)
    started = dt.datetime.now(dt.UTC)
    dump = target / DUMPS[kind]
    counts = dump_database(db, dump)
    files = tar_media(Path(media_root), target / MEDIA_TAR)
    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(timespec="seconds"),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {
            "vendor": kind,
            "name": str(db["NAME"]) if kind == "postgresql" else Path(str(db["NAME"])).name,
            "file": dump.name,
            "size": dump.stat().st_size,
            "sha256": sha256_of(dump),
            "tables": counts,
        },
        "media": {
            "file": MEDIA_TAR,
            "size": (target / MEDIA_TAR).stat().st_size,
            "sha256": sha256_of(target / MEDIA_TAR),
            "files": files,
        },
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    path = Path(source) / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise BackupError(f"{path} is missing: not a backup, or an unfinished one.") from None
    except (OSError, ValueError) as error:
        raise BackupError(f"{path} cannot be read: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: unknown backup format {manifest.get('format')!r}.")
    return manifest


def verify_parts(source: Path, manifest: dict[str, Any]) -> list[str]:
    """Differences between the parts on disk and their size and sha256 in the manifest."""
    problems = []
    for part in (manifest["database"], manifest["media"]):
        path = Path(source) / part["file"]
        if not path.is_file():
            problems.append(f"{part['file']} is missing")
        elif path.stat().st_size != part["size"]:
            problems.append(
                f"{part['file']}: {path.stat().st_size} bytes, the manifest says {part['size']}"
            )
        elif sha256_of(path) != part["sha256"]:
            problems.append(f"{part['file']}: its sha256 differs from the manifest's")
    return problems


def restore(
    source: Path, *, db: dict[str, Any], media_root: Path, force: bool = False
) -> dict[str, Any]:
    source, media_root = Path(source), Path(media_root)
    manifest = read_manifest(source)
    if manifest["database"]["vendor"] != vendor(db):
        raise BackupError(
            f"The backup is of a {manifest['database']['vendor']} database; the target is "
            f"{vendor(db)}."
        )
    if problems := verify_parts(source, manifest):
        raise BackupError("The backup is damaged: " + "; ".join(problems) + ". Nothing restored.")
    if not force:
        refused = []
        if not database_is_empty(db):
            refused.append(f"the database {db['NAME']} has tables")
        if not _is_empty_dir(media_root):
            refused.append(f"the media directory {media_root} is not empty")
        if refused:
            raise BackupError(
                "Restore refused: "
                + " and ".join(refused)
                + ". Restore into an empty database and media directory, or give --force to "
                "replace what they hold (it is deleted)."
            )
    load_database(db, source / manifest["database"]["file"], force=force)
    if force and media_root.exists():
        shutil.rmtree(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    extract_media(source / manifest["media"]["file"], media_root)
    return manifest


def compare(manifest: dict[str, Any], db: dict[str, Any], media_root: Path) -> list[str]:
    """Differences between what the manifest records and ``db`` and ``media_root`` hold."""
    problems = []
    expected, found = manifest["database"]["tables"], count_tables(db)
    for table in sorted(set(expected) | set(found)):
        if expected.get(table) != found.get(table):
            problems.append(
                f"table {table}: {found.get(table, 'missing')} rows, the manifest says "
                f"{expected.get(table, 'none')}"
            )
    listed = {f["name"]: f for f in manifest["media"]["files"]}
    present = {p.relative_to(media_root).as_posix(): p for p in media_files(media_root)}
    for name in sorted(set(listed) | set(present)):
        if name not in present:
            problems.append(f"media file {name} is missing")
        elif name not in listed:
            problems.append(f"media file {name} is not in the manifest")
        elif present[name].stat().st_size != listed[name]["size"]:
            problems.append(f"media file {name}: its size differs")
        elif sha256_of(present[name]) != listed[name]["sha256"]:
            problems.append(f"media file {name}: its sha256 differs")
    return problems


@dataclass
class CheckResult:
    manifest: dict[str, Any]
    problems: list[str]


@contextmanager
def _scratch_database(db: dict[str, Any], workdir: Path) -> Iterator[dict[str, Any]]:
    if vendor(db) == "sqlite":
        yield {**db, "NAME": str(workdir / "check.sqlite3")}
        return
    name = f"pledgebook_check_{uuid.uuid4().hex[:12]}"
    with _pg_connect(db, "postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**db, "NAME": name}
    finally:
        with _pg_connect(db, "postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def check(source: Path, *, db: dict[str, Any]) -> CheckResult:
    """Restore the backup into a scratch database (on ``db``'s server, for PostgreSQL) and a
    scratch media directory, compare them with the manifest, and remove them."""
    manifest = read_manifest(source)
    if problems := verify_parts(source, manifest):
        return CheckResult(manifest, problems)
    if manifest["database"]["vendor"] != vendor(db):
        raise BackupError(
            f"The backup is of a {manifest['database']['vendor']} database: check it with the "
            "settings of such a database (--database-url)."
        )
    with tempfile.TemporaryDirectory(prefix="pledgebook-check-") as work:
        workdir = Path(work)
        with _scratch_database(db, workdir) as scratch:
            try:
                restore(source, db=scratch, media_root=workdir / "media")
            except BackupError as error:
                return CheckResult(manifest, [str(error)])
            return CheckResult(manifest, compare(manifest, scratch, workdir / "media"))
