"""The staff pages of the video app, one module per page family."""
