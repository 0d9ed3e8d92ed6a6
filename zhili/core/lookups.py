"""`path__under=prefix`: rows whose materialized path starts with `prefix`, using an index.

Django's `startswith` becomes LIKE, which SQLite runs as a full scan (its LIKE is
case-insensitive, so the index does not apply). On SQLite the lookup is a range instead:
``prefix <= path < successor(prefix)``, exact under SQLite's binary collation. On PostgreSQL
it stays LIKE 'prefix%', served by the varchar_pattern_ops index: a range there would follow
the database collation, which may order '/' and '-' in ways that break the bound.
"""

from django.db.models import CharField, Lookup
from django.db.models.lookups import StartsWith


def successor(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


@CharField.register_lookup
class Under(Lookup):
    lookup_name = "under"

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise ValueError("path__under needs a non-empty prefix")
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, self.rhs, successor(self.rhs)]

    def as_postgresql(self, compiler, connection):
        return StartsWith(self.lhs, self.rhs).as_sql(compiler, connection)
