"""Desktop notifications: ``org.freedesktop.Notifications`` over D-Bus, with a fallback.

We speak D-Bus with jeepney (it comes with keyring on Linux) because QtDBus
from Python marshals ``Notify``'s arguments with the wrong types, which
notification servers reject. The D-Bus traffic runs on a thread of its own, so
the GUI never waits on the bus; results come back as Qt signals.

Each notification replaces the previous one (``replaces_id``), so quick skips
update one bubble instead of stacking many.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

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

    def __init__(self, app_name: str = APP_NAME, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app_name = app_name
        self._requests: queue.Queue[Notification | None] = queue.Queue()
        self._last_id = 0
        self._router: object | None = None
        self._available: bool | None = None
        self._body_markup = False  # the server renders <b>, <img>... in bodies
        self._thread = threading.Thread(target=self._serve, name="notifications", daemon=True)
        self._thread.start()

    @property
    def available(self) -> bool | None:
        """None until the first notification found out."""
        return self._available

    def show(self, notification: Notification) -> None:
        self._requests.put(notification)

    def close(self) -> None:
        self._requests.put(None)
        self._thread.join(timeout=2)

    # the notification thread ---------------------------------------------------

    def _serve(self) -> None:
        while (notification := self._requests.get()) is not None:
            if self._available is False:
                self.unavailable.emit(notification)
                continue
            try:
                self._send(notification)
            except Exception as exc:  # no bus, no server, a server error: fall back
                logger.info("%s", _unavailable_sentence(exc))
                logger.debug("Notification failure", exc_info=True)
                self._available = False
                self.unavailable.emit(notification)
        self._shut_router()

    def _send(self, notification: Notification) -> None:
        from jeepney import DBusAddress, new_method_call

        router = self._connect()
        address = DBusAddress(_PATH, bus_name=_BUS_NAME, interface=_BUS_NAME)
        hints: dict[str, tuple[str, object]] = {"urgency": ("y", 1), "category": ("s", "x-music")}
        if notification.image_path:
            hints["image-path"] = ("s", notification.image_path)
        message = new_method_call(
            address,
            "Notify",
            "susssasa{sv}i",
            (
                self._app_name,
                self._last_id,
                "nowplaying-tray",
                notification.summary,
                _escaped(notification.body) if self._body_markup else notification.body,
                list(notification.actions),
                hints,
                -1,
            ),
        )
        reply = router.send_and_get_reply(message, timeout=5)  # type: ignore[attr-defined]
        if reply.header.message_type.name == "error":
            raise RuntimeError(f"notification server error: {reply.body}")
        self._last_id = int(reply.body[0])
        self._available = True

    def _connect(self) -> object:
        if self._router is not None:
            return self._router
        from jeepney import MatchRule, message_bus, new_method_call
        from jeepney.io.threading import DBusRouter, open_dbus_connection

        router = DBusRouter(open_dbus_connection(bus="SESSION"))
        try:
            has_owner = router.send_and_get_reply(
                new_method_call(message_bus, "NameHasOwner", "s", (_BUS_NAME,)), timeout=5
            )
            if not has_owner.body or not has_owner.body[0]:
                raise RuntimeError("no notification server on the session bus")
            self._body_markup = "body-markup" in _capabilities(router)
            rule = MatchRule(type="signal", interface=_BUS_NAME, member="ActionInvoked", path=_PATH)
            router.send_and_get_reply(
                new_method_call(message_bus, "AddMatch", "s", (rule.serialise(),)), timeout=5
            )
        except Exception:
            _close_router(router)
            raise
        self._router = router
        threading.Thread(
            target=self._listen, args=(router, rule), name="notification-actions", daemon=True
        ).start()
        return router

    def _listen(self, router: object, rule: object) -> None:
        try:
            with router.filter(rule, bufsize=16) as signals:  # type: ignore[attr-defined]
                while self._router is router:
                    try:
                        message = signals.get(timeout=1.0)
                    except queue.Empty:
                        continue
                    notification_id, action = message.body
                    if notification_id != self._last_id:
                        continue  # another app's, or an older bubble of ours
                    if action == "next":
                        self.next_requested.emit()
                    elif action == "login":
                        self.login_requested.emit()
                    else:
                        self.activated.emit()
        except Exception:  # the router closed: the app is quitting
            logger.debug("Notification action listener ended")

    def _shut_router(self) -> None:
        if self._router is not None:
            try:
                _close_router(self._router)
            except Exception:
                logger.debug("Closing the D-Bus connection failed", exc_info=True)
            self._router = None


def _unavailable_sentence(error: Exception) -> str:
    """Why desktop notifications cannot be shown, as a sentence for the log."""
    from nowplaying_tray.bus.thread import bus_problem

    why = bus_problem(error) if str(error) else "the notification server did not answer"
    return f"Desktop notifications are not available: {why}. Track changes are shown without them."


def _capabilities(router: object) -> list[str]:
    from jeepney import DBusAddress, new_method_call

    address = DBusAddress(_PATH, bus_name=_BUS_NAME, interface=_BUS_NAME)
    reply = router.send_and_get_reply(  # type: ignore[attr-defined]
        new_method_call(address, "GetCapabilities"), timeout=5
    )
    if reply.header.message_type.name == "error" or not reply.body:
        return []
    return [str(capability) for capability in reply.body[0]]


def _escaped(body: str) -> str:
    # The spec's markup is a small XML subset: these three are all a title needs.
    return body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _close_router(router: object) -> None:
    router.close()  # type: ignore[attr-defined]
    router.conn.close()  # type: ignore[attr-defined]  # the router leaves its socket open
