"""The overlay's pages: one HTML document each, with their style and script inside.

Nothing is loaded from anywhere else: the fonts are the system's, the cover comes
from ``/art`` and the data from ``/events``. The page follows the stream and moves
the progress bar itself between events (a CSS transition to the end of the item,
restarted at each event), so the server sends nothing while nothing changes.
Query options: ``hide=paused,idle``; colours ``accent``, ``text``, ``subtext``,
``panel``, ``track`` (hex, no ``#``); sizes in px ``width``, ``cover``, ``radius``,
``title``, ``artist``, ``lyric``; ``font`` (an installed family); ``transition=none``.
Every one of them sets a CSS custom property (``--np-*``, README), which OBS's
custom CSS can set as well.
"""

from __future__ import annotations

import base64
import hashlib

HTML = "text/html; charset=utf-8"

_STYLE = """
:root {
  --np-font: system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --np-text: #ffffff;
  --np-subtext: rgba(255, 255, 255, 0.72);
  --np-panel: rgba(16, 16, 16, 0.78);
  --np-accent: #1db954;
  --np-track: rgba(255, 255, 255, 0.22);
  --np-radius: 14px;
  --np-width: 560px;
  --np-cover-size: 96px;
  --np-title-size: 22px;
  --np-artist-size: 16px;
  --np-lyric-size: 17px;
  --np-shadow: 0 6px 24px rgba(0, 0, 0, 0.35);
  --np-transition: 450ms;
}
html, body { margin: 0; background: transparent; overflow: hidden; }
body { font-family: var(--np-font); color: var(--np-text); padding: 8px; }
#card {
  display: flex; align-items: center; gap: 16px; box-sizing: border-box;
  width: var(--np-width); max-width: calc(100vw - 16px); padding: 14px;
  background: var(--np-panel); border-radius: var(--np-radius); box-shadow: var(--np-shadow);
  transition: opacity var(--np-transition) ease, visibility 0s;
}
#card.hidden {
  opacity: 0; visibility: hidden;
  transition: opacity var(--np-transition) ease, visibility 0s linear var(--np-transition);
}
#card.enter { animation: np-enter var(--np-transition) ease backwards; }
@keyframes np-enter { from { opacity: 0; transform: translateY(12px) scale(0.98); } }
#cover {
  flex: none; width: var(--np-cover-size); height: var(--np-cover-size); object-fit: cover;
  border-radius: calc(var(--np-radius) * 0.6); background: var(--np-track);
}
#cover:not([src]) { visibility: hidden; }
#text { flex: 1; min-width: 0; }
#title, #artist, #lyric { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#title { font-size: var(--np-title-size); font-weight: 700; line-height: 1.25; }
#artist { font-size: var(--np-artist-size); color: var(--np-subtext); margin-top: 2px; }
#lyric { font-size: var(--np-lyric-size); font-style: italic; margin-top: 6px; }
#lyric:empty { display: none; }
#bar {
  height: 4px; margin-top: 10px; border-radius: 2px; overflow: hidden;
  background: var(--np-track);
}
#fill {
  height: 100%; background: var(--np-accent); transform-origin: left center;
  transform: scaleX(0); will-change: transform;
}
#card[data-state="paused"] #fill, #card[data-state="paused"] #cover { opacity: 0.55; }
body.lyrics #cover, body.lyrics #title, body.lyrics #artist, body.lyrics #bar { display: none; }
body.lyrics #lyric {
  white-space: normal; text-align: center; font-style: normal; margin: 0;
  font-size: calc(var(--np-lyric-size) * 1.6); font-weight: 600;
}
"""

_SCRIPT = """
"use strict";
const query = new URLSearchParams(location.search);
const root = document.documentElement.style;
const COLOURS = {accent: "--np-accent", text: "--np-text", subtext: "--np-subtext",
                 panel: "--np-panel", track: "--np-track"};
const SIZES = {width: "--np-width", cover: "--np-cover-size", radius: "--np-radius",
               title: "--np-title-size", artist: "--np-artist-size", lyric: "--np-lyric-size"};
for (const [name, property] of Object.entries(COLOURS)) {
  const value = query.get(name);
  if (value && /^(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(value)) {
    root.setProperty(property, "#" + value);
  }
}
for (const [name, property] of Object.entries(SIZES)) {
  const value = query.get(name);
  if (value && /^[0-9]{1,4}$/.test(value)) root.setProperty(property, value + "px");
}
const font = query.get("font");
if (font && /^[A-Za-z0-9 _-]{1,64}$/.test(font)) {
  root.setProperty("--np-font", '"' + font + '", system-ui, sans-serif');
}
if (query.get("transition") === "none") root.setProperty("--np-transition", "0ms");
const hide = new Set(query.getAll("hide").join(",").split(","));
const lyricsOnly = document.body.classList.contains("lyrics");
const $ = (id) => document.getElementById(id);
const card = $("card"), cover = $("cover"), title = $("title"), artist = $("artist");
const lyric = $("lyric"), fill = $("fill");
let shownItem = null;

function moveBar(now) {
  const duration = now.duration_ms, progress = now.progress_ms;
  fill.style.transition = "none";
  if (!duration || progress == null) { fill.style.transform = "scaleX(0)"; return; }
  fill.style.transform = "scaleX(" + Math.min(1, progress / duration) + ")";
  if (now.state !== "playing") return;
  void fill.offsetWidth;  // start the transition from the position just set
  fill.style.transition = "transform " + Math.max(0, duration - progress) + "ms linear";
  fill.style.transform = "scaleX(1)";
}

function show(now) {
  const idle = now.state === "idle";
  const item = idle ? null : (now.uri || [now.kind, now.title, now.artists.join(", ")].join("|"));
  if (item !== null && item !== shownItem) {
    card.classList.remove("enter");
    void card.offsetWidth;  // restart the animation
    card.classList.add("enter");
  }
  shownItem = item;
  title.textContent = idle ? "Nothing playing" : (now.title || "");
  artist.textContent = now.artists.join(", ");
  lyric.textContent = now.lyric || "";
  if (now.art) {
    if (cover.getAttribute("src") !== now.art) cover.src = now.art;
  } else {
    cover.removeAttribute("src");
  }
  moveBar(now);
  card.dataset.state = now.state;
  const hidden = hide.has(now.state) || (lyricsOnly && !now.lyric);
  card.classList.toggle("hidden", hidden);
}

const events = new EventSource("/events");
events.onmessage = (message) => {
  try { show(JSON.parse(message.data)); } catch (error) { console.error(error); }
};
"""


def _page(mode: str) -> bytes:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Now playing</title>
<style>{_STYLE}</style></head>
<body class="{mode}">
<div id="card" class="hidden" data-state="">
<img id="cover" alt="">
<div id="text"><div id="title"></div><div id="artist"></div><div id="lyric"></div>
<div id="bar"><div id="fill"></div></div></div>
</div>
<script>{_SCRIPT}</script>
</body></html>
""".encode()


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


OVERLAY_PAGE = _page("overlay")
LYRICS_PAGE = _page("lyrics")
HEADERS = {
    # Only this page's own script and our own origin. Inline style stays allowed: OBS's
    # "custom CSS" is added to the page as a style element.
    "Content-Security-Policy": (
        f"default-src 'none'; script-src 'sha256-{_sha256(_SCRIPT)}'; "
        "style-src 'unsafe-inline'; img-src 'self'; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
}
