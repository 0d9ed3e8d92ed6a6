"""The media gateway: Janus, configured and called by the platform (docs/operations.md, "Video").

`config` writes Janus's configuration, `tokens` mints the short-lived tokens browsers present,
`janus` calls its HTTP API. The rules of who may watch what stay in the video app's services.
"""
