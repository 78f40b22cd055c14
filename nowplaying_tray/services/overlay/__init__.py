"""The stream overlay: a page for OBS's browser source, served on 127.0.0.1 while it is on."""
