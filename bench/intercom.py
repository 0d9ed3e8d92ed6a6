"""Push-to-talk delay, measured end to end with the real engines: the platform (uvicorn, the
bench database), Janus's AudioBridge and two Chromium pages on the talk group of one team (a
handheld and a second handheld, each microphone a steady tone). Each of BENCH_PTT_ROUNDS
(default 20) rounds: the talker holds the space bar (the panel takes the floor, the platform
unmutes the talker's seat at the gateway), and the delay is from the key press to the first
inbound audio level above 0.05 at the listener (WebRTC getStats, polled every 5 ms); then the
talker releases and the room falls silent again. p50 and p95 in ms; the aim is ≤ 300 ms. Of
each delay, the platform's part: from the key press to the floor's answer at the talker's page
(the floor taken, the seat unmuted at the gateway); the rest is the media path.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection

from bench.video import KEY, SECRET, engines, percentile
from zhili.conftest import CHROMIUM, PASSWORD, free_port
from zhili.core.roles import Role
from zhili.forces.models import Force, Team, TeamType
from zhili.intercom.services import group_for_team
from zhili.intercom.tests.peers import TONE, energy_over, floor_ms, joined, talk_delay_ms
from zhili.orgs.models import Organization, User
from zhili.orgs.services import tree_path
from zhili.rooms.tests.conftest import FAKE_MEDIA
from zhili.video.gateway import janus
from zhili.web.tests.conftest import CHROMIUM_ARGS

ROUNDS = int(os.environ.get("BENCH_PTT_ROUNDS", "20"))
ROOT = Path(__file__).resolve().parent.parent
SHOTS = Path("/work/shots")  # the listener's page while the talker speaks, when it exists


def _org(code: str, name: str, level: str, parent: Organization | None) -> Organization:
    path = tree_path(parent, code)
    return Organization.objects.create(
        code=code,
        name=name,
        area_name=name,
        kind="center",
        level=level,
        parent=parent,
        path=path,
        depth=path.count("/") - 2,
    )


def setup() -> int:
    call_command("migrate", verbosity=0)
    county = _org("320722", "东海县综治中心", "county", None)
    town = _org("320722101", "甲镇综治中心", "township", county)
    kind = TeamType.objects.create(code="grid", name="网格员", speed_kmh=5)
    team = Team.objects.create(
        code="T-GRID", name="甲镇网格员队伍", team_type=kind, organization=town
    )
    for number in (1, 2):
        user = User.objects.create_user(
            username=f"ptt{number}",
            password=PASSWORD,
            organization=town,
            full_name=f"网格员{number}",
        )
        user.groups.set([Group.objects.get_or_create(name=Role.GRID_WORKER)[0]])
        Force.objects.create(code=f"F-{number}", name=f"网格员{number}", team=team, user=user)
    return group_for_team(team=team).pk


def serve(gateway: janus.Gateway) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": "bench-only",
        "JANUS_API_URLS": gateway.api_url,
        "JANUS_WS_URLS": gateway.ws_url,
        "JANUS_TOKEN_SECRET": SECRET,
        "JANUS_ADMIN_KEY": KEY,
    }
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{connection.settings_dict['NAME']}"
    command = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port)]
    command += ["--log-level", "warning", "--lifespan", "off"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    return server, base


def run() -> dict[str, tuple[float, str]]:
    from playwright.sync_api import sync_playwright

    group = setup()
    folder = Path(tempfile.mkdtemp(prefix="zhili-bench-ptt-"))
    delays: list[float] = []
    floors: list[float] = []  # of each delay, the platform's part: the floor's answer
    with engines(folder, cameras=False) as found:
        server, base = serve(found.gateway)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *FAKE_MEDIA]
                )
                pages = []
                for number in (1, 2):
                    context = browser.new_context(viewport={"width": 390, "height": 844})
                    context.add_init_script(TONE)
                    page = context.new_page()
                    page.goto(f"{base}/login/")
                    page.fill("input[name=username]", f"ptt{number}")
                    page.fill("input[name=password]", PASSWORD)
                    page.click("button[type=submit]")
                    page.wait_for_url(f"{base}/**")
                    page.goto(f"{base}/m/")
                    joined(page, group)
                    pages.append(page)
                talker, listener = pages
                for _ in range(ROUNDS):
                    delays.append(talk_delay_ms(talker, listener))
                    floors.append(floor_ms(talker))
                    # The floor's push (Channels over the page's socket) names the speaker.
                    listener.wait_for_selector("[data-testid=ptt-panel][data-speaker='网格员1']")
                    if SHOTS.is_dir() and not delays[1:]:
                        listener.screenshot(path=str(SHOTS / "intercom-listener.png"))
                    talker.keyboard.up("Space")
                    listener.wait_for_timeout(600)
                    if energy_over(listener, 0.4) > 0.001:
                        raise RuntimeError("the listener still hears the talker after release")
                browser.close()
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:  # open WebSockets keep it waiting
                server.kill()
                server.wait(timeout=10)
    print(f"  push-to-talk delays, ms: {sorted(round(d) for d in delays)}", file=sys.stderr)
    return {
        "intercom.ptt_delay_p50": (percentile(delays, 0.5), "ms"),
        "intercom.ptt_delay_p95": (percentile(delays, 0.95), "ms"),
        "intercom.ptt_floor_answer_p50": (percentile(floors, 0.5), "ms"),
        "intercom.ptt_floor_answer_p95": (percentile(floors, 0.95), "ms"),
    }
