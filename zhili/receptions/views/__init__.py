"""Pages of leader reception (领导接访), one module per area: the month rota (`rota`), a rota
day with its appointments (`day`, `appointments`) and walk-in records (`records`), the
leader's own page (`mine`), all 包案 in scope (`ownerships`), and the supervision of township
leaders' receptions (`townships`).

Reads go through `zhili.receptions.selectors` (out of scope is the same 404 as missing);
writes through `zhili.receptions.services`; the views only shape what those say. Actions are
HTMX requests answered with the fragment they change; a DomainError comes back beside its
field as a 4xx (a "not found" about the input, such as a petition number, as a 422).
"""
