"""The test databases: migrated once into a template, then copied to each test process.

Migrating this project from nothing costs about 90 s of CPU: Django re-renders the states of
the related models after almost every operation, and nearly every model points at the
organisation tree (profiled 2026-12-05: 32,516 model renders for 169 migrations). pytest-django
migrated one database per xdist worker in every run, and CI makes seven runs (SQLite, three
faketime days, PostgreSQL, and the fuzz modules after two of them), each migrating the same
files again.

Now the first test process to need the database migrates a template, named by a digest of every
migration file and the Django version, while the others wait on a lock; then each process copies
it to its own test database (a file copy on SQLite, `CREATE DATABASE ... TEMPLATE` on
PostgreSQL). A later run with the same migrations copies the same template: a changed migration
changes the digest, and the next run migrates a new template and drops the old ones.

The worker databases are kept after the run (pytest-django's `--reuse-db` does the same), so a
server a test started that still holds a connection cannot make the teardown fail; the next run
replaces them. `zhili/conftest.py` (`django_db_setup`) calls `prepare`.
"""

import fcntl
import hashlib
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db.backends.base.base import BaseDatabaseWrapper

TEMPLATE_MARK = "_tpl_"


def migrations_digest(vendor: str) -> str:
    """Every installed app's migration files (their paths and bytes), the Django version and
    the database's vendor (some migrations run SQL of one vendor only)."""
    digest = hashlib.sha256(f"{django.__version__}\n{vendor}\n".encode())
    for app in sorted(apps.get_app_configs(), key=lambda a: a.label):
        folder = Path(app.path) / "migrations"
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{app.label}/{path.name}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def machine_lock(name: str) -> Iterator[None]:
    """A lock every process on this machine sees: the workers of one run, and other runs."""
    key = hashlib.sha256(name.encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"zhili-test-{key}.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare(connection: BaseDatabaseWrapper, serialize: bool) -> str:
    """Make `connection`'s test database a copy of the migrated template and point the
    connection at it, as Django's `create_test_db` leaves it; the test database's name."""
    creation = connection.creation
    worker = creation._get_test_db_name()  # type: ignore[attr-defined]
    engine = _SQLite(connection) if connection.vendor == "sqlite" else _PostgreSQL(connection)
    template = engine.template_name(worker, migrations_digest(connection.vendor))
    with machine_lock(engine.lock_key(template)):
        if not engine.exists(template):
            # A minute and more of silence otherwise (pytest's own output is captured here).
            print(f"migrating the test template {template} ...", file=sys.stderr, flush=True)
            engine.build(template, worker)
        engine.copy(template, worker)
    _disconnect(connection)
    settings.DATABASES[connection.alias]["NAME"] = worker
    connection.settings_dict["NAME"] = worker
    if serialize:
        connection._test_serialized_contents = creation.serialize_db_to_string()  # type: ignore[attr-defined]
    call_command("createcachetable", database=connection.alias)
    connection.ensure_connection()
    return worker


def supported(connection: BaseDatabaseWrapper) -> bool:
    """A file SQLite database or PostgreSQL; anything else goes Django's own way."""
    if connection.vendor == "sqlite":
        return not connection.is_in_memory_db()  # type: ignore[attr-defined]
    return connection.vendor == "postgresql"


def _migrate_as(connection: BaseDatabaseWrapper, name: str) -> None:
    """Django's own `create_test_db` (create, migrate) under another test name, the connection's
    settings put back after it."""
    test_settings = connection.settings_dict["TEST"]
    kept_name, kept_test_name = connection.settings_dict["NAME"], test_settings.get("NAME")
    test_settings["NAME"] = name
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    finally:
        _disconnect(connection)
        test_settings["NAME"] = kept_test_name
        connection.settings_dict["NAME"] = kept_name
        settings.DATABASES[connection.alias]["NAME"] = kept_name


class _SQLite:
    def __init__(self, connection: BaseDatabaseWrapper):
        self.connection = connection

    def template_name(self, worker: str, digest: str) -> str:
        return str(Path(worker).with_name(f"test{TEMPLATE_MARK}{digest}.sqlite3"))

    def lock_key(self, template: str) -> str:
        return template

    def exists(self, template: str) -> bool:
        return Path(template).exists()

    def build(self, template: str, worker: str) -> None:
        building = f"{template}.{Path(worker).name}.building"
        _migrate_as(self.connection, building)
        _remove(building + "-wal", building + "-shm")  # the last connection checkpointed them
        for old in Path(template).parent.glob(f"test{TEMPLATE_MARK}*.sqlite3"):
            old.unlink(missing_ok=True)
        Path(building).replace(template)

    def copy(self, template: str, worker: str) -> None:
        _remove(worker, worker + "-wal", worker + "-shm", worker + "-journal")
        shutil.copyfile(template, worker)


class _PostgreSQL:
    def __init__(self, connection: BaseDatabaseWrapper):
        self.connection = connection

    def template_name(self, worker: str, digest: str) -> str:
        base = worker.split("_gw")[0]
        return f"{base}{TEMPLATE_MARK}{digest}"

    def lock_key(self, template: str) -> str:
        db = self.connection.settings_dict
        return f"{db['HOST']}:{db['PORT']}/{template}"

    def _sql(self, *statements: str, params: Any = None) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        with self.connection.creation._nodb_cursor() as cursor:  # type: ignore[attr-defined]
            for statement in statements:
                cursor.execute(statement, params)
                if cursor.description:
                    rows += cursor.fetchall()
        return rows

    def exists(self, template: str) -> bool:
        return bool(self._sql("SELECT 1 FROM pg_database WHERE datname = %s", params=[template]))

    def build(self, template: str, worker: str) -> None:
        quote = self.connection.ops.quote_name
        building = f"{worker}_building"
        _migrate_as(self.connection, building)
        base = template.split(TEMPLATE_MARK)[0] + TEMPLATE_MARK
        stale = self._sql(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", params=[base]
        )
        for (name,) in stale:
            self._sql(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")
        self._sql(f"ALTER DATABASE {quote(building)} RENAME TO {quote(template)}")

    def copy(self, template: str, worker: str) -> None:
        quote = self.connection.ops.quote_name
        self._sql(
            f"DROP DATABASE IF EXISTS {quote(worker)} WITH (FORCE)",
            f"CREATE DATABASE {quote(worker)} TEMPLATE {quote(template)}",
        )


def _disconnect(connection: BaseDatabaseWrapper) -> None:
    """Closed, and on PostgreSQL its pool too: a pool keeps the name it was opened with, and its
    idle connections would hold the template (`CREATE DATABASE ... TEMPLATE` needs it alone)."""
    connection.close()
    if hasattr(connection, "close_pool"):
        connection.close_pool()


def _remove(*paths: str) -> None:
    for path in paths:
        Path(path).unlink(missing_ok=True)
