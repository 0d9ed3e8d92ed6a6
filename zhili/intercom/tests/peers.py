"""Two people on the push-to-talk panel in Chromium, for the browser test and the benchmark:
each page's microphone is a steady 440 Hz tone (WebAudio, so that the listener hears audio
the moment the talker is unmuted, not at the fake device's next beep), and the listener
watches its inbound audio (WebRTC getStats: `audioLevel`, `totalAudioEnergy`)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from zhili.conftest import CHROMIUM, wait_until
from zhili.rooms.tests.conftest import FAKE_MEDIA
from zhili.web.tests.conftest import CHROMIUM_ARGS, pump

TONE = """
navigator.mediaDevices.getUserMedia = async () => {
  const context = new AudioContext();
  const tone = context.createOscillator();
  tone.frequency.value = 440;
  const gain = context.createGain();
  gain.gain.value = 0.6;
  const sink = context.createMediaStreamDestination();
  tone.connect(gain).connect(sink);
  tone.start();
  return sink.stream;
};
"""

# The listener's inbound audio: energy so far and the current level.
INBOUND = """async () => {
  const seat = window.zhiliIntercom.current();
  if (!seat || !seat.pc) return null;
  const stats = await seat.pc.getStats();
  for (const report of stats.values()) {
    if (report.type === "inbound-rtp" && report.kind === "audio") {
      return {energy: report.totalAudioEnergy || 0, level: report.audioLevel || 0,
              bytes: report.bytesReceived || 0};
    }
  }
  return null;
}"""

# Watch for the first moment the level rises above `threshold`: Date.now() of it.
ARM = """(threshold) => {
  window.__heardAt = 0;
  const seat = window.zhiliIntercom.current();
  const tick = async () => {
    const stats = await seat.pc.getStats();
    for (const report of stats.values()) {
      if (report.type === "inbound-rtp" && report.kind === "audio" &&
          (report.audioLevel || 0) > threshold) {
        window.__heardAt = Date.now();
        return;
      }
    }
    setTimeout(tick, 5);
  };
  tick();
}"""


def joined(page: Any, group_id: int) -> None:
    page.select_option("[data-testid=ptt-group]", str(group_id))
    wait_until(
        lambda: page.get_attribute("[data-testid=ptt-panel]", "data-state") in ("joined", "failed"),
        30,
        "the panel joins the talk group",
        pause=pump(page),
    )
    state = page.get_attribute("[data-testid=ptt-panel]", "data-state")
    assert state == "joined", page.inner_text("[data-testid=ptt-state]")
    wait_until(lambda: inbound(page) is not None, 15, "the room's audio arrives", pause=pump(page))


def inbound(page: Any) -> dict[str, float] | None:
    found = page.evaluate(INBOUND)
    return found if isinstance(found, dict) else None


def energy_over(page: Any, seconds: float) -> float:
    """The inbound audio energy received over the next `seconds`."""
    before = inbound(page) or {"energy": 0.0}
    page.wait_for_timeout(seconds * 1000)
    after = inbound(page) or {"energy": 0.0}
    return float(after["energy"]) - float(before["energy"])


def talk_delay_ms(talker: Any, listener: Any, threshold: float = 0.05) -> float:
    """Hold the space bar on the talker's page until the listener hears it: milliseconds from
    the key press to the first inbound level above `threshold` at the listener."""
    listener.evaluate(ARM, threshold)
    talker.keyboard.down("Space")
    wait_until(
        lambda: bool(listener.evaluate("window.__heardAt")),
        10,
        "the listener hears the talker",
        pause=pump(listener),
    )
    started = float(talker.get_attribute("[data-testid=ptt-panel]", "data-talk-started") or 0)
    return float(listener.evaluate("window.__heardAt")) - started


def floor_ms(talker: Any) -> float:
    """Milliseconds from the talker's key press to the floor's answer (the platform's part)."""
    started = float(talker.get_attribute("[data-testid=ptt-panel]", "data-talk-started") or 0)
    answered = float(talker.get_attribute("[data-testid=ptt-panel]", "data-floor-at") or 0)
    return answered - started


@contextmanager
def phone_and_desk(*scripts: str) -> Iterator[tuple[Any, Any]]:
    """A handheld (a phone) and a desk, each a browser context of its own (a person), the tone
    as microphone and `scripts` run first on every page; a script error fails the test."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *FAKE_MEDIA]
        )
        errors: list[str] = []
        phone = browser.new_context(
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
        )
        desk = browser.new_context(viewport={"width": 1366, "height": 860}, locale="zh-CN")
        pages = []
        for context in (phone, desk):
            for script in (TONE, *scripts):
                context.add_init_script(script)
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            pages.append(page)
        yield pages[0], pages[1]
        browser.close()
        assert not errors, f"页面脚本出错：{errors}"
