from django.http import HttpRequest
from ninja import Router, Schema

from zhili.integrations.auth import ApiKeyAuth
from zhili.integrations.models import ApiKey
from zhili.orgs.api import ErrorOut

router = Router(tags=["对接"])


class KeyOut(Schema):
    name: str
    channel: str
    prefix: str


@router.get("/integrations/whoami", auth=ApiKeyAuth(), response={200: KeyOut, 401: ErrorOut})
def whoami(request: HttpRequest) -> ApiKey:
    """For integrators: which key (and channel) this request was recognised as."""
    return request.api_key  # type: ignore[attr-defined]
