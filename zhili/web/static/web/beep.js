// The alert of a push that wants someone at once (a handheld's dispatch, an individual call
// coming in): two short 880 Hz beeps (WebAudio, no sound file) and, on a phone, a vibration.
export function beep() {
  try {
    const Context = window.AudioContext || window.webkitAudioContext;
    const audio = new Context();
    [0, 0.25].forEach((start) => {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, audio.currentTime + start);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + start + 0.2);
      tone.connect(gain).connect(audio.destination);
      tone.start(audio.currentTime + start);
      tone.stop(audio.currentTime + start + 0.2);
    });
    setTimeout(() => audio.close(), 800);
  } catch (err) {
    // No audio on this device: what is shown alone tells.
  }
  if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
}
