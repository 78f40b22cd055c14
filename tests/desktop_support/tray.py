"""A StatusNotifierItem tray host (xfce4-panel) and readers for the items it hosts.

What Qt does with it (PySide6 6.11.3 and 6.12.0, ``QT_QPA_PLATFORM=xcb``, xfce4-panel 4.18):

* Once ``org.kde.StatusNotifierWatcher`` is owned and reports
  ``IsStatusNotifierHostRegistered = true``, ``QSystemTrayIcon`` uses its D-Bus tray
  (``QDBusTrayIcon``) instead of XEmbed, and ``isSystemTrayAvailable()`` is True.
* ``show()`` registers the item with the watcher as ``"<unique name>/StatusNotifierItem"``
  (e.g. ``":1.6/StatusNotifierItem"``), not as a ``org.kde.StatusNotifierItem-PID-N``
  well-known name. :func:`read_sni_items` returns those strings verbatim and the readers
  below accept either form.
* ``setToolTip("hello")`` shows up as the ``ToolTip`` property
  ``("", [], "hello", "")``: signature ``(sa(iiay)ss)`` = (icon name, icon pixmaps,
  title, text). Qt puts the whole tooltip into the *title* and leaves icon name, pixmaps
  and text empty. A later ``setToolTip("world")`` is visible on the next ``Get`` (Qt also
  emits ``NewToolTip``), so polling the property is a reliable check.
* With the watcher present, ``QSystemTrayIcon.showMessage()`` becomes an
  ``org.freedesktop.Notifications.Notify`` call on the same bus.

The panel runs only a ``systray`` plugin. Its configuration lives in xfconf, and
``xfconfd`` is D-Bus-activated *with the bus daemon's environment*, so
:func:`tray_host` pushes its ``XDG_CONFIG_HOME`` into the bus's activation environment
first. Start the tray host before anything else activates ``org.xfce.Xfconf`` on that
bus, or the panel gets xfconf's idea of the configuration (the distribution default
panel, with a first-run dialog) instead.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jeepney.wrappers import DBusErrorResponse

from ._proc import START_TIMEOUT, managed_process, wait_until
from .bus import get_property, name_has_owner, update_activation_environment

logger = logging.getLogger(__name__)

WATCHER_NAME = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
WATCHER_IFACE = "org.kde.StatusNotifierWatcher"
ITEM_PATH = "/StatusNotifierItem"
ITEM_IFACE = "org.kde.StatusNotifierItem"
XFCONF_NAME = "org.xfce.Xfconf"

#: xfce4-panel's "position" values for a full-width panel at each edge.
PANEL_POSITIONS = {"top": "p=6;x=0;y=0", "bottom": "p=8;x=0;y=0"}

PANEL_XML = """\
<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="{position}"/>
      <property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="size" type="uint" value="32"/>
      <property name="icon-size" type="uint" value="24"/>
      <property name="plugin-ids" type="array">
        <value type="int" value="1"/>
      </property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="systray"/>
  </property>
</channel>
"""


@dataclass(frozen=True)
class SniToolTip:
    """The ``ToolTip`` property of a StatusNotifierItem, ``(sa(iiay)ss)``."""

    icon_name: str
    icon_pixmaps: list[tuple[int, int, bytes]]
    title: str
    text: str


@dataclass(frozen=True)
class TrayHost:
    """A running StatusNotifierItem host."""

    bus_address: str
    pid: int
    log_path: Path

    def items(self) -> list[str]:
        return read_sni_items(self.bus_address)

    def wait_for_items(self, count: int = 1, timeout: float = 10.0) -> list[str]:
        return wait_for_sni_items(self.bus_address, count=count, timeout=timeout)

    def tooltip(self, service: str) -> str:
        return read_sni_tooltip(self.bus_address, service)


def _watcher_ready(bus_address: str) -> bool:
    if not name_has_owner(bus_address, WATCHER_NAME):
        return False
    try:
        _sig, value = get_property(
            bus_address, WATCHER_NAME, WATCHER_PATH, WATCHER_IFACE, "IsStatusNotifierHostRegistered"
        )
    except DBusErrorResponse:
        return False
    return bool(value)


@contextlib.contextmanager
def tray_host(
    env: Mapping[str, str],
    tmp_path: Path | None = None,
    timeout: float = START_TIMEOUT,
    edge: str = "top",
) -> Iterator[TrayHost]:
    """Start ``xfce4-panel`` with one systray plugin at ``edge`` (top or bottom of the
    screen); wait for a registered SNI host.

    ``env`` needs ``DISPLAY`` and ``DBUS_SESSION_BUS_ADDRESS``.
    """
    bus_address = env["DBUS_SESSION_BUS_ADDRESS"]
    if "DISPLAY" not in env:
        raise ValueError("tray_host needs DISPLAY in env (start xvfb first)")
    with contextlib.ExitStack() as stack:
        if tmp_path is None:
            tmp_path = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="panel-")))
        root = tmp_path / "xfce4-panel"
        config_home = root / "config"
        channel_dir = config_home / "xfce4" / "xfconf" / "xfce-perchannel-xml"
        channel_dir.mkdir(parents=True, exist_ok=True)
        (channel_dir / "xfce4-panel.xml").write_text(
            PANEL_XML.replace("{position}", PANEL_POSITIONS[edge])
        )

        if name_has_owner(bus_address, XFCONF_NAME):
            logger.warning("xfconfd already runs on %s; panel config may be ignored", bus_address)
        update_activation_environment(
            bus_address, {"XDG_CONFIG_HOME": str(config_home), "NO_AT_BRIDGE": "1"}
        )
        panel_env = dict(env)
        panel_env["XDG_CONFIG_HOME"] = str(config_home)
        panel_env.setdefault("NO_AT_BRIDGE", "1")
        log_path = root / "xfce4-panel.log"
        proc = stack.enter_context(
            managed_process(
                ["xfce4-panel", "--disable-wm-check", "--sm-client-disable"],
                name="xfce4-panel",
                env=panel_env,
                log_path=log_path,
            )
        )
        wait_until(
            lambda: _watcher_ready(bus_address),
            what=f"{WATCHER_NAME} with a registered host",
            timeout=timeout,
            proc=proc,
            log_path=log_path,
        )
        logger.info("xfce4-panel tray host up (pid %d) on %s", proc.pid, env["DISPLAY"])
        yield TrayHost(bus_address=bus_address, pid=proc.pid, log_path=log_path)


def split_item(service: str) -> tuple[str, str]:
    """``":1.6/StatusNotifierItem"`` -> ``(":1.6", "/StatusNotifierItem")``.

    A bare bus name means the default object path ``/StatusNotifierItem``.
    """
    if "/" in service:
        name, path = service.split("/", 1)
        return name, "/" + path
    return service, ITEM_PATH


def read_sni_items(bus_address: str) -> list[str]:
    """The watcher's ``RegisteredStatusNotifierItems``, as registered."""
    _sig, value = get_property(
        bus_address, WATCHER_NAME, WATCHER_PATH, WATCHER_IFACE, "RegisteredStatusNotifierItems"
    )
    return [str(item) for item in value]


def read_sni_property(bus_address: str, service: str, prop: str) -> Any:
    """Any ``org.kde.StatusNotifierItem`` property of ``service`` (value only)."""
    name, path = split_item(service)
    _sig, value = get_property(bus_address, name, path, ITEM_IFACE, prop)
    return value


def read_sni_tooltip_parts(bus_address: str, service: str) -> SniToolTip:
    icon_name, pixmaps, title, text = read_sni_property(bus_address, service, "ToolTip")
    return SniToolTip(
        icon_name=str(icon_name),
        icon_pixmaps=[(int(w), int(h), bytes(data)) for w, h, data in pixmaps],
        title=str(title),
        text=str(text),
    )


def read_sni_tooltip(bus_address: str, service: str) -> str:
    """The item's tooltip as one string: the title, plus ``"\\n" + text`` if any.

    Qt puts the whole ``setToolTip()`` string into the title, so for a Qt app this is
    exactly what was set.
    """
    tooltip = read_sni_tooltip_parts(bus_address, service)
    return f"{tooltip.title}\n{tooltip.text}" if tooltip.text else tooltip.title


def wait_for_sni_items(bus_address: str, count: int = 1, timeout: float = 10.0) -> list[str]:
    """Wait until at least ``count`` items are registered; return them."""

    def enough() -> list[str] | None:
        items = read_sni_items(bus_address)
        return items if len(items) >= count else None

    return wait_until(
        enough,
        what=f"{count} StatusNotifierItem(s)",
        timeout=timeout,
    )


def wait_for_sni_tooltip(
    bus_address: str, service: str, expected: str, timeout: float = 10.0
) -> str:
    """Wait until ``read_sni_tooltip`` returns ``expected``.

    The ``TimeoutError`` names the last value seen.
    """
    last: list[str] = []

    def check() -> bool:
        try:
            value = read_sni_tooltip(bus_address, service)
        except DBusErrorResponse as exc:
            last.append(f"<error {exc}>")
            return False
        last.append(value)
        return value == expected

    try:
        wait_until(check, what=f"tooltip {expected!r} on {service}", timeout=timeout)
    except TimeoutError as exc:
        raise TimeoutError(f"{exc}; last seen {last[-1:]!r}") from None
    return expected
