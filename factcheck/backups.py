"""Backing up and restoring the database: SQLite's online backup, or pg_dump and pg_restore.

A backup is one file: an SQLite database (copied page by page while the service runs, so it
is consistent without stopping it) or a PostgreSQL custom-format dump. It is written beside
its final name and renamed when complete, so a file with that name is always a whole backup.
Restoring replaces the configured database's contents with the backup's.
"""

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


def engine() -> str:
    """`sqlite` or `postgresql`: which kind of database is configured."""
    name = settings.DATABASES["default"]["ENGINE"]
    if name.endswith("sqlite3"):
        return "sqlite"
    if name.endswith("postgresql"):
        return "postgresql"
    raise ValidationError(f"Backups support SQLite and PostgreSQL, not {name}.")


def default_backup_path() -> Path:
    stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = "sqlite3" if engine() == "sqlite" else "dump"
    return Path(settings.BASE_DIR) / "var" / "backups" / f"factcheck-{stamp}.{suffix}"


def backup(path: Path) -> Path:
    """Write a consistent copy of the database to `path`; returns it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    if engine() == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(partial)
        try:
            # The online backup API: a consistent snapshot while others keep writing.
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        _run_pg(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"])
    partial.replace(path)
    return path


def restore(path: Path) -> None:
    """Replace the database's contents with the backup at `path`, or refuse in words."""
    if not path.is_file():
        raise ValidationError(f"No backup at {path}.")
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    kind = engine()
    if kind == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise ValidationError(f"{path} is not an SQLite backup; the configured database is SQLite.")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            problems = source.execute("PRAGMA integrity_check").fetchall()
            if problems != [("ok",)]:
                raise ValidationError(f"{path} is damaged: {problems[0][0]}.")
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()  # nothing cached from before the restore
    else:
        if not head.startswith(PG_DUMP_MAGIC):
            raise ValidationError(f"{path} is not a pg_dump (custom format) backup; the configured database is "
                                  "PostgreSQL.")
        connection.close()
        _run_pg(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                 "--exit-on-error", str(path)], database_flag="--dbname")


def _run_pg(command: list[str], *, database_flag: str | None = None) -> None:
    database = settings.DATABASES["default"]
    if shutil.which(command[0]) is None:
        raise ValidationError(f"{command[0]} is not installed: install PostgreSQL's client tools "
                              "(Debian: postgresql-client).")
    environment = {**os.environ, "PGDATABASE": database["NAME"]}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            environment[variable] = str(database[key])
    if database_flag:
        command = [*command, f"{database_flag}={database['NAME']}"]
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise ValidationError(f"{command[0]} failed: {result.stderr.strip() or result.returncode}")
