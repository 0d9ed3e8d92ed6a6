"""Every write of the integrations app, one module per concern:

- `apikeys`: API keys (create, revoke, and the audited check of a presented key);
- `sources`: the push sources (one per pushing channel) and their secrets;
- `push`: the signed push of a work order (signature, replay, idempotent intake);
- `mappings`: the sender's category texts mapped to the catalog;
- `callbacks`: the reply sent back to the sender when its case is closed.
"""

from zhili.integrations.services.apikeys import (
    KEY_PREFIX,
    apikey_create,
    apikey_revoke,
    apikey_use,
    key_digest,
)
from zhili.integrations.services.callbacks import (
    callback_attempt,
    callback_resend,
    callbacks_for_transition,
)
from zhili.integrations.services.mappings import mapping_resolve, mapping_set
from zhili.integrations.services.push import PushOrder, push_accept, push_verify
from zhili.integrations.services.sources import pushsource_create, pushsource_rotate

__all__ = [
    "KEY_PREFIX",
    "PushOrder",
    "apikey_create",
    "apikey_revoke",
    "apikey_use",
    "callback_attempt",
    "callback_resend",
    "callbacks_for_transition",
    "key_digest",
    "mapping_resolve",
    "mapping_set",
    "push_accept",
    "push_verify",
    "pushsource_create",
    "pushsource_rotate",
]
