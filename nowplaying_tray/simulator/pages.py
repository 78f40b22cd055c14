"""HTML pages of the simulated accounts service: the consent screen and error pages."""

from __future__ import annotations

import logging
from html import escape

logger = logging.getLogger(__name__)

SCOPE_DESCRIPTIONS = {
    "user-read-playback-state": "Read your currently playing content and Spotify Connect "
    "devices information.",
    "user-read-currently-playing": "Read your currently playing content.",
    "user-modify-playback-state": "Control playback on your Spotify clients and Spotify "
    "Connect devices.",
    "user-library-read": "Access your saved content.",
    "user-library-modify": "Manage your saved content.",
    "user-read-email": "Get your real email address.",
    "user-read-private": "Access your subscription details.",
    "user-read-recently-played": "Access your recently played items.",
    "user-top-read": "Read your top artists and content.",
}
GENERAL_ACCESS = "View your Spotify account data: your name and username, your public "
GENERAL_ACCESS += "playlists and the playlists you follow."

_STYLE = """
  :root { color-scheme: dark; }
  * { box-sizing: border-box; }
  body { margin: 0; min-height: 100vh; display: flex; align-items: center;
         justify-content: center; background: linear-gradient(#2a2a2a, #121212);
         font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #fff; }
  main { width: min(92vw, 460px); background: #181818; border-radius: 12px;
         padding: 32px 36px; box-shadow: 0 8px 40px rgba(0, 0, 0, .6); }
  .brand { color: #1ed760; font-weight: 700; letter-spacing: .02em; margin: 0 0 24px; }
  h1 { font-size: 1.5rem; margin: 0 0 8px; }
  .who { color: #b3b3b3; margin: 0 0 20px; }
  ul { padding: 0; margin: 0 0 28px; list-style: none; }
  li { padding: 10px 0 10px 28px; border-top: 1px solid #2a2a2a; position: relative; }
  li::before { content: "\\2713"; color: #1ed760; position: absolute; left: 4px; }
  .actions { display: flex; gap: 12px; }
  button { flex: 1; border: 0; border-radius: 999px; padding: 12px 20px; font-weight: 700;
           font-size: 1rem; cursor: pointer; }
  button[value=agree] { background: #1ed760; color: #000; }
  button[value=cancel] { background: transparent; color: #fff; border: 1px solid #727272; }
  .error { color: #f3727f; font-family: ui-monospace, monospace; }
  .fine { color: #7a7a7a; font-size: .8rem; margin: 24px 0 0; }
"""


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main><p class=brand>Spotify (simulated)</p>{body}</main></body></html>\n"
    )


def consent_page(app_name: str, user_name: str, scopes: list[str], request_id: str) -> str:
    """The "<app> wants to access your account" page with Agree and Cancel buttons."""
    items = [GENERAL_ACCESS]
    items += [SCOPE_DESCRIPTIONS.get(scope, scope) for scope in scopes]
    scope_list = "".join(f"<li>{escape(text)}</li>" for text in items)
    body = (
        f"<h1>{escape(app_name)} wants to access your account</h1>"
        f"<p class=who>Logged in as <strong>{escape(user_name)}</strong></p>"
        f"<ul>{scope_list}</ul>"
        '<form method=post action="/authorize/decision">'
        f'<input type=hidden name=request_id value="{escape(request_id)}">'
        "<div class=actions>"
        "<button type=submit name=decision value=cancel>Cancel</button>"
        "<button type=submit name=decision value=agree>Agree</button>"
        "</div></form>"
        "<p class=fine>You can remove this access at any time in your account settings.</p>"
    )
    return _page(f"Authorize {app_name}", body)


def error_page(message: str) -> str:
    body = (
        "<h1>Oops! Something went wrong</h1>"
        "<p class=who>Please try again or check out our help area.</p>"
        f"<p class=error>{escape(message)}</p>"
    )
    return _page("Error", body)
