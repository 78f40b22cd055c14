"""Desktop notifications: ``org.freedesktop.Notifications`` over D-Bus, with a fallback.

We speak D-Bus with jeepney on the app's one bus thread (``bus.thread.BusThread``,
shared with MPRIS) because QtDBus from Python marshals ``Notify``'s arguments with
the wrong types, which notification servers reject. The GUI never waits on the bus;
results come back as Qt signals. Clicks on a bubble arrive as ``ActionInvoked``
signals through the same connection: nothing runs while nothing happens.

Each notification replaces the previous one (``replaces_id``), so quick skips
update one bubble instead of stacking many.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from nowplaying_tray.bus.thread import BusThread, BusUnavailable

logger = logging.getLogger(__name__)

APP_NAME = "Now Playing"
_BUS_NAME = "org.freedesktop.Notifications"
_PATH = "/org/freedesktop/Notifications"
_ACTIONS = ("default", "Show", "next", "Next track")
LOGIN_ACTIONS = ("default", "Show", "login", "Log in again")


@dataclass(frozen=True)
class Notification:
    summary: str
    body: str
    image_path: str | None = None
    actions: tuple[str, ...] = _ACTIONS  # D-Bus pairs: key, label, key, label...
    # A correction of the bubble on screen (a title the player fixed): it replaces that
    # bubble while it is shown, and is dropped once it is gone (not a new announcement).
    correction: bool = False


class DesktopNotifications(QObject):
    """Sends notifications over the session bus.

    Signals:
        activated(): the person clicked the notification.
        next_requested(): the person clicked its "Next track" action.
        login_requested(): the person clicked its "Log in again" action.
        unavailable(Notification): no notification server; show it another way.
    """

    activated = Signal()
    next_requested = Signal()
    login_requested = Signal()
    unavailable = Signal(Notification)

    def __init__(
        self, bus: BusThread, app_name: str = APP_NAME, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._bus = bus
        self._app_name = app_name
        self._last_id = 0  # D-Bus thread only
        self._last_open = False  # the last bubble is still on screen; D-Bus thread only
        self._available: bool | None = None
        self._body_markup = False  # the server renders <b>, <img>... in bodies

    @property
    def available(self) -> bool | None:
        """None until the first notification found out."""
        return self._available

    def show(self, notification: Notification) -> None:
        self._bus.submit(lambda: self._show(notification))

    # the D-Bus thread -------------------------------------------------------------

    def _show(self, notification: Notification) -> None:
        if self._available is None:
            self._available = self._set_up()
        if not self._available:
            self.unavailable.emit(notification)
            return
        if notification.correction and not self._last_open:
            logger.debug("Correction dropped: its bubble is no longer shown")
            return
        if not self._send(notification):
            self._available = False
            self.unavailable.emit(notification)

    def _set_up(self) -> bool:
        """Once: is there a server, what does it render, and hear its action clicks."""
        try:
            self._bus.connect()
        except BusUnavailable as exc:
            logger.info("%s", _unavailable_sentence(str(exc)))
            return False
        if not self._bus.call_bus("NameHasOwner", "s", (_BUS_NAME,)):
            logger.info("%s", _unavailable_sentence("no notification server on the session bus"))
            return False
        caps = self._bus.call(_BUS_NAME, _PATH, _BUS_NAME, "GetCapabilities")
        self._body_markup = bool(caps) and "body-markup" in (caps or ((),))[0]
        for member in ("ActionInvoked", "NotificationClosed"):
            rule = f"type='signal',interface='{_BUS_NAME}',member='{member}',path='{_PATH}'"
            self._bus.call_bus("AddMatch", "s", (rule,))
        self._bus.on_message(self._on_message)
        return True

    def _send(self, notification: Notification) -> bool:
        hints: dict[str, tuple[str, object]] = {"urgency": ("y", 1), "category": ("s", "x-music")}
        if notification.image_path:
            hints["image-path"] = ("s", notification.image_path)
        body = _escaped(notification.body) if self._body_markup else notification.body
        reply = self._bus.call(
            _BUS_NAME,
            _PATH,
            _BUS_NAME,
            "Notify",
            "susssasa{sv}i",
            (
                self._app_name,
                self._last_id,
                "nowplaying-tray",
                notification.summary,
                body,
                list(notification.actions),
                hints,
                -1,
            ),
        )
        if not reply:
            logger.info("%s", _unavailable_sentence("the notification server did not answer"))
            return False
        self._last_id = int(reply[0])
        self._last_open = True
        return True

    def _on_message(self, message: Any) -> None:
        from jeepney import HeaderFields, MessageType

        fields = message.header.fields
        if (
            message.header.message_type is not MessageType.signal
            or fields.get(HeaderFields.interface) != _BUS_NAME
        ):
            return
        member = fields.get(HeaderFields.member)
        if member == "NotificationClosed" and message.body and message.body[0] == self._last_id:
            self._last_open = False
            return
        if member != "ActionInvoked":
            return
        notification_id, action = message.body
        if notification_id != self._last_id:
            return  # another app's, or an older bubble of ours
        if action == "next":
            self.next_requested.emit()
        elif action == "login":
            self.login_requested.emit()
        else:
            self.activated.emit()


def _unavailable_sentence(why: str) -> str:
    """Why desktop notifications cannot be shown, as a sentence for the log."""
    return f"Desktop notifications are not available: {why}. Track changes are shown without them."


def _escaped(body: str) -> str:
    # The spec's markup is a small XML subset: these three are all a title needs.
    return body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
