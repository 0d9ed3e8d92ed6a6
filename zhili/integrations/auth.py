"""The API key of an integration: in the `X-Api-Key` header, or the `api_key` parameter
(Open311 clients send it as a parameter)."""

from django.http import HttpRequest
from ninja.security import APIKeyHeader

from zhili.integrations.models import ApiKey
from zhili.integrations.services import apikey_use


class ApiKeyAuth(APIKeyHeader):
    param_name = "X-Api-Key"

    def __init__(self, channel: str | None = None):
        self.channel = channel  # None: a key of any channel
        super().__init__()

    def _get_key(self, request: HttpRequest) -> str | None:
        return (
            request.headers.get(self.param_name)
            or request.GET.get("api_key")
            or request.POST.get("api_key")
        )

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey | None:
        found = apikey_use((key or "").strip(), channel=self.channel, what=request.path)
        if found is not None:
            request.api_key = found  # type: ignore[attr-defined]
        return found
