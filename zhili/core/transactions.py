"""One transaction per write request: the view and the building of its answer commit
together, or not at all.

A service commits its change (habit 1: every write is a service inside `transaction.atomic`);
if the endpoint then failed while building the answer (a deadline projected for the response,
an output field), the client got a 5xx for something that was done, and a retry made a copy
(issue 11, item 2). `AtomicWrites` wraps every non-GET request, the view and its rendering,
in one transaction and rolls it back when the answer is a server error: either the client
hears what was done, or nothing was done.

Why a middleware rather than ATOMIC_REQUESTS: Django's setting wraps the view only (not a
TemplateResponse's rendering, not ninja's serialization of the answer) and rolls back on an
exception only, not on a 5xx the view returned itself.

What stays as it was:
- The services' own `transaction.atomic` blocks become savepoints: a service that catches an
  IntegrityError (the push's idempotency, the counters) still rolls back just its part.
- `transaction.on_commit` hooks (live pushes to the WebSocket consoles, task enqueues,
  reply call-backs) run once the request's transaction commits, and never after a rollback;
  outbox rows become visible to the worker at the same commit.
- Reads (GET, HEAD, OPTIONS) are not wrapped: they write nothing, and an SQLite write lock
  (transaction_mode IMMEDIATE) must not be taken for them.

The cost: a write request holds its transaction (and, on SQLite, the write lock; on
PostgreSQL, a case number's counter row) until its answer is built, a millisecond or two more.
"""

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse

READS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class AtomicWrites:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in READS:
            return self.get_response(request)
        with transaction.atomic():
            # An exception below has already become a 500 answer (Django converts it at each
            # middleware), so the status is what tells.
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        return response
