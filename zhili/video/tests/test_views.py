"""The staff page 监控点位: scoped, filtered, paged, behind cameras.view; the gateway's health
on the pages that play."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.test import Client

from zhili.conftest import Tree, wait_until


def test_the_list_shows_what_the_user_sees(client: Client, personas: Tree, cameras: Tree) -> None:
    client.force_login(personas.village)
    body = client.get("/video/cameras/").content.decode()
    assert cameras.a.code in body and cameras.b.code in body
    assert cameras.c.code not in body and cameras.d.code not in body
    assert "共 2 个点位" in body
    assert "监控点位" in body


def test_filters_and_htmx_fragment(client: Client, personas: Tree, cameras: Tree) -> None:
    client.force_login(personas.dispatcher)
    body = client.get("/video/cameras/?kind=lookout&status=bogus").content.decode()
    assert cameras.d.code in body and cameras.a.code not in body
    fragment = client.get("/video/cameras/?q=点位01", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="camera-list"') and cameras.a.code in fragment


def test_without_the_action_it_is_403_and_not_in_the_menu(
    client: Client, personas: Tree, cameras: Tree
) -> None:
    client.force_login(personas.gridworker)
    assert client.get("/video/cameras/").status_code == 403
    assert "/video/cameras/" not in client.get("/").content.decode()
    client.force_login(personas.township)
    assert "/video/cameras/" in client.get("/").content.decode()


def test_the_township_filter_shows_only_where_there_is_a_choice(
    client: Client, personas: Tree, cameras: Tree
) -> None:
    client.force_login(personas.dispatcher)
    assert 'data-testid="filter-township"' in client.get("/video/cameras/").content.decode()
    client.force_login(personas.township)
    assert 'data-testid="filter-township"' not in client.get("/video/cameras/").content.decode()


class Pings(BaseHTTPRequestHandler):
    """A stand-in Janus HTTP API that counts its `info` requests (the pages' health check)."""

    count = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).count += 1
        body = json.dumps({"janus": "server_info", "transaction": "p"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_the_pages_ask_the_gateway_at_most_every_few_seconds(
    client: Client, personas: Tree, cameras: Tree, settings: Any
) -> None:
    Pings.count = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pings)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.JANUS_API_URLS = [f"http://127.0.0.1:{server.server_address[1]}/janus"]
    client.force_login(personas.township)
    settings.VIDEO_GATEWAY_HEALTH_SECONDS = 3
    try:
        for url in (f"/video/cameras/{cameras.b.code}/", "/video/wall/", "/video/wall/"):
            body = client.get(url).content.decode()
            assert 'data-testid="gateway-down"' not in body
        assert Pings.count == 1
    finally:
        server.shutdown()
        server.server_close()

    def says_down() -> bool:
        """The wall says the gateway is down (once the answer of before has expired)."""
        return 'data-testid="gateway-down"' in client.get("/video/wall/").content.decode()

    wait_until(says_down, timeout=15, every=0.5)
    assert Pings.count == 1
