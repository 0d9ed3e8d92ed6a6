"""Simulated cameras for the demo, the tests and the benchmarks (run by Debian's Python, which
has GStreamer's bindings; nothing here imports Django)."""
