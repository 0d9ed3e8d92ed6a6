"""Two people on the push-to-talk panel in Chromium, for the browser test and the benchmark:
each page's microphone is a steady 440 Hz tone (WebAudio, so that the listener hears audio
the moment the talker is unmuted, not at the fake device's next beep), and the listener
watches its inbound audio (WebRTC getStats: `audioLevel`, `totalAudioEnergy`)."""

from typing import Any

from zhili.conftest import wait_until
from zhili.web.tests.conftest import pump

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
