"""The build's state: what the last build into a site folder made each page from, each file's facts and
validation, and each passage naming a register entry, kept in an SQLite database beside the site
(`._site.edition-state.sqlite` for `_site`): not in it, so that it is not published, and so that a build
that is stopped leaves the site exactly as it was.

A rebuild reads it and writes back only the rows of what changed, in one transaction. The new site is
written into a staging folder (write.py); once it is complete, the transaction is committed (`seal`) and the
folder swapped in. The site names the state it was built with (a digest of its pages' and files' digests, in
`.edition-build.json`); a state that names another, or none, is not trusted and the build is a full one,
whose state is a new database that replaces the old when sealed. So a build stopped anywhere leaves either
the old site with its state, or a state that the next build does not trust: never a state that vouches for
pages its site does not have.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

FORMAT = 7  # raised whenever what the state holds, or what a digest covers, changes
MANIFEST = ".edition-build.json"  # in the site: the state it was built with

_TABLES = {
    "meta": "name TEXT PRIMARY KEY, value TEXT",
    "pages": "name TEXT PRIMARY KEY, digest TEXT, files TEXT, messages TEXT",
    "validations": "path TEXT PRIMARY KEY, key TEXT, diagnostics TEXT, asked TEXT",
    "files": "path TEXT PRIMARY KEY, facts TEXT",
    "mentions": "path TEXT, document TEXT, seq INTEGER, entity TEXT, anchor TEXT, snippet TEXT, place TEXT",
    # The build (its number, meta 'build') in which each page's files were last written, and the path of
    # every file the site's pages were written as: what the spare site (write.Spare) lacks is told by them.
    "made": "name TEXT PRIMARY KEY, build INTEGER",
    "site": "path TEXT PRIMARY KEY",
}
# What tells one build from the next rather than what they made: left out when two states are compared.
_HISTORY_TABLES = {"made"}
_HISTORY_META = {"build", "spare", "spare-build", "spare-only"}


class StateBusy(Exception):
    """Another build is writing the same site."""


def state_path(out: Path) -> Path:
    return out.parent / f".{out.name}.edition-state.sqlite"


class State:
    """The last build's state of one site folder, open for this build to read and to write its own. A state
    the build cannot trust is not changed: the build's own is written to a new database that replaces it
    when committed, so a build that fails leaves no state behind, or the old one as it was."""

    def __init__(self, out: Path, clean: bool = False):
        self.path = state_path(out)
        self._new: Path | None = None
        self._old: sqlite3.Connection | None = None
        self.connection = _existing(self.path)
        self.trusted = self.connection is not None and not clean and _meta(self.connection, "format") == str(
            FORMAT) and _meta(self.connection, "state") is not None and _meta(self.connection, "state") == site_state(out)
        if not self.trusted:
            # The old database stays locked, so that a second build of the site meanwhile is still refused.
            self._old = self.connection
            _remove_leftovers(out)
            self._new = out.parent / f".{out.name}.state-{os.getpid()}.sqlite"
            self._new.unlink(missing_ok=True)
            self.connection = _open(self._new)
            _create_tables(self.connection)
        # This build's number, and the state and number of the last one, read before this build names its own.
        self.build = int(_meta(self.connection, "build") or 0) + 1
        self._last = (_meta(self.connection, "state"), _meta(self.connection, "build"))

    @property
    def key(self) -> str | None:
        """The edition key (cache.edition_key) of the last build."""
        return _meta(self.connection, "key")

    def spare(self) -> tuple[str, int, list[str]] | None:
        """The site the spare folder holds, as the last build left it: the state it was built with, the number
        of that build, and the files it has that the last site has not."""
        token = _meta(self.connection, "spare")
        if token is None:
            return None
        return token, int(_meta(self.connection, "spare-build") or 0), json.loads(_meta(self.connection, "spare-only") or "[]")

    def made(self) -> dict[str, int]:
        """The build in which each page's files were last written."""
        return dict(self.connection.execute("SELECT name, build FROM made"))

    def site_paths(self) -> set[str]:
        """Every file the last site's pages were written as."""
        return {path for path, in self.connection.execute("SELECT path FROM site")}

    def keep_site(self, added, removed) -> None:
        """The files of this build's site: those `added` since the last one, without those `removed`."""
        self.connection.executemany("INSERT OR IGNORE INTO site VALUES (?)", [(p,) for p in added])
        self.forget("site", "path", removed)

    def pages(self) -> dict[str, tuple[str, str, str]]:
        """Each page's (digest, [[path, canonical]], messages) as the last build made it, the last two as JSON
        text, read when needed."""
        return {name: (digest, files, messages)
                for name, digest, files, messages in self.connection.execute("SELECT * FROM pages")}

    def token(self, files: dict[str, str]) -> str:
        """The `state_token` of the pages this state keeps and of `files`, the pages read a row at a time (a
        large edition has half a million): SQLite orders names by their UTF-8 bytes, as Python does by code
        points."""
        return _token(self.connection.execute("SELECT name, digest FROM pages ORDER BY name"), sorted(files.items()))

    def files(self) -> set[str]:
        """The path of each file whose facts are kept."""
        return {path for path, in self.connection.execute("SELECT path FROM files")}

    def facts(self, path: str) -> str | None:
        """The file's facts (facts.FileFacts) as JSON text, read when asked for: a large edition's are never
        all held at once."""
        row = self.connection.execute("SELECT facts FROM files WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def validations(self) -> dict[str, tuple[str, str]]:
        """Each file's last validation: (its key, its diagnostics as JSON text), read in one query."""
        return {path: (key, diagnostics)
                for path, key, diagnostics in self.connection.execute("SELECT path, key, diagnostics FROM validations")}

    def asked(self, path: str) -> dict:
        """What the file's last validation asked of the other files, with the answers."""
        row = self.connection.execute("SELECT asked FROM validations WHERE path = ?", (path,)).fetchone()
        return json.loads(row[0]) if row else {}

    def mentions_in(self, entity: str, documents: list[str]) -> list[tuple[str, str, str, str, str]]:
        """Each passage naming the entry in the documents of these ids: (file, document id, anchor, snippet,
        where), in text order."""
        marks = ",".join("?" * len(documents))
        return self.connection.execute(
            f"SELECT path, document, anchor, snippet, place FROM mentions WHERE entity = ? AND document IN ({marks}) "
            "ORDER BY path, document, seq", (entity, *documents)).fetchall()

    def keep_page(self, name: str, digest: str, files: str, messages: str) -> None:
        """A page's digest, its files and messages (JSON text, as `pages` gives them)."""
        self.connection.execute("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?)", (name, digest, files, messages))
        self.connection.execute("INSERT OR REPLACE INTO made VALUES (?, ?)", (name, self.build))

    def keep_validation(self, path: str, key: str, diagnostics: list, asked: dict) -> None:
        self.connection.execute("INSERT OR REPLACE INTO validations VALUES (?, ?, ?, ?)",
                                (path, key, _json(diagnostics), _json(asked)))

    def keep_file(self, path: str, facts: dict) -> None:
        self.connection.execute("INSERT OR REPLACE INTO files VALUES (?, ?)", (path, _json(facts)))

    def keep_passages(self, path: str, document: str, passages: list[list]) -> None:
        """A document's passages naming entries ([entry, anchor, snippet, where]), in place of its last ones."""
        self.connection.execute("DELETE FROM mentions WHERE path = ? AND document = ?", (path, document))
        self.connection.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?)",
                                    [(path, document, seq, *row) for seq, row in enumerate(passages)])

    def forget(self, table: str, column: str, values) -> None:
        """Rows of what is gone: pages no longer made, files no longer read."""
        self.connection.executemany(f"DELETE FROM {table} WHERE {column} = ?", [(v,) for v in values])

    def finish(self, key: str, token: str) -> None:
        """Name this build's edition key, state and number, before its site (which names the same) is swapped
        in."""
        self.connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                    [("format", str(FORMAT)), ("key", key), ("state", token),
                                     ("build", str(self.build))])

    def keep_spare(self, only: list[str]) -> None:
        """Note that the last site becomes the spare once this build's is swapped in: the state it was built
        with, its build, and the files (of `only`) it has that this build's site has not."""
        token, build = self._last
        self.connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                    [("spare", token), ("spare-build", build), ("spare-only", _json(only))])

    def forget_spare(self) -> None:
        self.forget("meta", "name", ["spare", "spare-build", "spare-only"])

    def seal(self) -> None:
        """Commit this build's state: its site is complete, and is swapped in next."""
        self.connection.commit()
        if self._new is not None:
            self.connection.close()
            self.connection = None
            os.replace(self._new, self.path)
            self._new = None

    def close(self) -> None:
        """Give up what this build wrote, unless committed; let the databases go."""
        for connection in (self.connection, self._old):
            if connection is not None:
                connection.rollback()
                connection.close()
        self.connection = self._old = None
        if self._new is not None:
            self._new.unlink(missing_ok=True)
            self._new = None



def state_rows(out: Path) -> dict[str, list]:
    """Every row of every table of the site's state, sorted, as it stands, but what tells one build from the
    next (their numbers, the spare): what two builds' states are compared by."""
    connection = sqlite3.connect(f"{state_path(out).as_uri()}?mode=ro", uri=True)
    try:
        rows = {table: sorted(connection.execute(f"SELECT * FROM {table}"), key=repr)
                for table in _TABLES if table not in _HISTORY_TABLES}
        rows["meta"] = [row for row in rows["meta"] if row[0] not in _HISTORY_META]
        return rows
    finally:
        connection.close()


def manifest_text(token: str) -> str:
    """The site's note of the state it was built with."""
    return json.dumps({"format": FORMAT, "state": token}) + "\n"


def state_token(pages: dict[str, str], files: dict[str, str]) -> str:
    """A digest of what the state vouches for: each page's digest and each file's key. Two builds that made
    the same site from the same files name the same state."""
    return _token(sorted(pages.items()), sorted(files.items()))


def _token(pages, files) -> str:
    hashed = hashlib.sha256()
    for rows in (pages, files):
        for name, value in rows:
            hashed.update(f"{name}\0{value}\0".encode("utf-8"))
    return hashed.hexdigest()


def site_state(out: Path) -> str | None:
    """The state the site in `out` names (its MANIFEST), if it names one of this version's."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest.get("state") if isinstance(manifest, dict) and manifest.get("format") == FORMAT else None


def _meta(connection: sqlite3.Connection, name: str) -> str | None:
    row = connection.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def _existing(path: Path) -> sqlite3.Connection | None:
    """The state database, locked for this build; None when there is none, or none this version can read
    (a cache lost, not an error: the build is a full one). A database another build holds stops this one."""
    if not path.is_file():
        return None
    try:
        connection = _open(path)
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc):
            raise StateBusy(str(path)) from exc
        return None
    try:
        if {name for name, in connection.execute("SELECT name FROM sqlite_master")} >= set(_TABLES):
            return connection
    except sqlite3.DatabaseError:
        pass
    connection.close()
    return None


def _open(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=0.5, isolation_level=None)
    try:
        # Another build writing the same site holds the lock until it is done: this one stops rather than wait.
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.DatabaseError:
        connection.close()
        raise
    return connection


def _create_tables(connection: sqlite3.Connection) -> None:
    for table, columns in _TABLES.items():
        connection.execute(f"CREATE TABLE {table} ({columns})")
    connection.execute("CREATE INDEX mentions_of_entity ON mentions (entity, document)")
    connection.execute("CREATE INDEX mentions_of_file ON mentions (path)")


def _remove_leftovers(out: Path) -> None:
    # A build that was stopped leaves its new state behind; one whose process still runs is left alone.
    for leftover in out.parent.glob(f".{out.name}.state-*.sqlite*"):
        pid = leftover.name.split("-", 1)[-1].split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            leftover.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's
        return True
    return True


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
