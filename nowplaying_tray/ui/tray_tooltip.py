"""The tray tooltip's text, for whoever draws it.

A StatusNotifierItem host (xfce4-panel, KDE, GNOME's AppIndicator) is sent the tooltip
over D-Bus and shows it as it comes, so it gets plain text. Only an XEmbed tray (trayer,
older panels) leaves the tooltip to Qt, whose ``QToolTip`` renders text that looks like
HTML as HTML: a title such as ``<img src='file:///…'>`` must reach it escaped.
"""

from __future__ import annotations

import html
import logging

from PySide6.QtWidgets import QApplication

logger = logging.getLogger(__name__)

# The widget Qt's XEmbed tray icon lives in (Qt's own class; there is one per icon).
XEMBED_ICON_CLASS = "QSystemTrayIconSys"


def qt_draws_the_tooltip() -> bool:
    """True when the icon sits in an XEmbed tray, where Qt itself shows the tooltip."""
    return any(
        widget.metaObject().className() == XEMBED_ICON_CLASS
        for widget in QApplication.topLevelWidgets()
    )


def as_plain_tooltip(text: str) -> str:
    """``text`` as Qt's tooltip will show it literally: escaped inside a ``pre`` wrapper
    when Qt would take it for HTML, else unchanged."""
    from PySide6.QtGui import Qt  # not at import: see services.timers.precise

    if not Qt.mightBeRichText(text):
        return text
    lines = (html.escape(line, quote=False) for line in text.split("\n"))
    return "<p style='white-space:pre'>" + "<br>".join(lines) + "</p>"


def tray_tooltip(text: str) -> str:
    """What to hand ``QSystemTrayIcon.setToolTip`` so that ``text`` is shown as it is."""
    return as_plain_tooltip(text) if qt_draws_the_tooltip() else text


__all__ = ["as_plain_tooltip", "qt_draws_the_tooltip", "tray_tooltip"]
