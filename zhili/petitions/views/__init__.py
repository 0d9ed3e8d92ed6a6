"""Pages of petitions (信访事项): registration (also from a case), the scoped list, the
dossier with its timeline, actions opened in place (HTMX), Word notices, the audited reveal
of personal data, and the key-petitioner register.

Reads go through zhili.petitions.selectors (out of scope is the same 404 as not found);
writes through zhili.petitions.services, whose errors come back beside their field.
"""

from zhili.petitions.views.dossier import (
    petition_action,
    petition_detail,
    petition_document,
    petition_list,
    petition_print,
    reveal,
)
from zhili.petitions.views.key_petitioners import (
    key_petitioner,
    key_petitioner_add,
    key_petitioners,
)
from zhili.petitions.views.registration import from_case, register

__all__ = [
    "from_case",
    "key_petitioner",
    "key_petitioner_add",
    "key_petitioners",
    "petition_action",
    "petition_detail",
    "petition_document",
    "petition_list",
    "petition_print",
    "register",
    "reveal",
]
