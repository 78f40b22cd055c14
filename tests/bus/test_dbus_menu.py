"""DBusMenu: the menu as a StatusNotifierItem host reads it (com.canonical.dbusmenu),
through real jeepney messages, no bus needed."""

from __future__ import annotations

from typing import Any

from jeepney import DBusAddress, HeaderFields, MessageType, new_method_call

from nowplaying_tray.bus.dbus_menu import MENU_IFACE, MENU_PATH, DBusMenu, MenuEntry

RECENT = MenuEntry(
    3,
    "Recently played",
    submenu=True,
    children=(MenuEntry(4, "Take On Me — a-ha"), MenuEntry(5, "", visible=False)),
)
MENU = MenuEntry(
    0,
    children=(
        MenuEntry(1, "Dancing Queen — ABBA", enabled=False),
        MenuEntry(2, separator=True),
        RECENT,
        MenuEntry(6, "Notifications", checked=True),
        MenuEntry(7, "_Quit"),
    ),
)


class Host:
    """A host's side: calls to the menu, and what the menu sent and did."""

    def __init__(self) -> None:
        self.sent: list[Any] = []
        self.events: list[tuple[int, str]] = []
        self.opened: list[int] = []
        self.menu = DBusMenu(
            lambda i, e: self.events.append((i, e)), self.opened.append, self.sent.append
        )
        self.menu.show(MENU)

    def ask(self, member: str, signature: str = "", body: tuple[Any, ...] = ()) -> Any:
        address = DBusAddress(MENU_PATH, bus_name=":1.1", interface=MENU_IFACE)
        reply = self.menu.exported.reply_to(new_method_call(address, member, signature, body))
        assert reply is not None
        return reply

    def answer(self, member: str, signature: str = "", body: tuple[Any, ...] = ()) -> Any:
        reply = self.ask(member, signature, body)
        assert reply.header.message_type is MessageType.method_return, reply.body
        return reply.body


def labels(layout: Any) -> list[tuple[int, str, list[Any]]]:
    _id, _props, children = layout
    return [
        (child_id, props.get("label", ("s", ""))[1], kids)
        for _sig, (child_id, props, kids) in children
    ]


def test_the_whole_layout_with_what_each_entry_is() -> None:
    host = Host()
    revision, layout = host.answer("GetLayout", "iias", (0, -1, []))
    assert revision == 2  # one change since the empty menu
    root_id, root_props, children = layout
    assert root_id == 0 and root_props == {"children-display": ("s", "submenu")}
    entries = {child_id: props for _sig, (child_id, props, _kids) in children}
    assert entries[1] == {"label": ("s", "Dancing Queen — ABBA"), "enabled": ("b", False)}
    assert entries[2] == {"type": ("s", "separator")}
    assert entries[6]["toggle-type"] == ("s", "checkmark")
    assert entries[6]["toggle-state"] == ("i", 1)
    assert entries[3]["children-display"] == ("s", "submenu")
    recent = next(kids for child_id, _label, kids in labels(layout) if child_id == 3)
    assert [(i, p.get("visible")) for _s, (i, p, _k) in recent] == [(4, None), (5, ("b", False))]


def test_depth_and_property_names_limit_the_answer() -> None:
    host = Host()
    _revision, layout = host.answer("GetLayout", "iias", (3, 0, ["label"]))
    assert layout == (3, {"label": ("s", "Recently played")}, [])
    _revision, layout = host.answer("GetLayout", "iias", (0, 1, ["label"]))
    assert all(kids == [] for _id, _label, kids in labels(layout))
    (props,) = host.answer("GetGroupProperties", "aias", ([1, 7, 99], ["enabled"]))
    assert props == [(1, {"enabled": ("b", False)}), (7, {})]
    assert host.answer("GetProperty", "is", (7, "label")) == (("s", "_Quit"),)


def test_a_click_and_an_opening_are_handed_over() -> None:
    host = Host()
    host.answer("Event", "isvu", (7, "clicked", ("i", 0), 0))
    assert host.answer("AboutToShow", "i", (0,)) == (False,)
    group = [(6, "clicked", ("i", 0), 0), (42, "clicked", ("i", 0), 0)]
    assert host.answer("EventGroup", "a(isvu)", (group,)) == ([42],)
    assert host.events == [(7, "clicked"), (6, "clicked")]
    assert host.opened == [0]


def test_an_unknown_entry_is_an_error_not_a_crash() -> None:
    host = Host()
    for member, signature, body in (
        ("GetLayout", "iias", (99, -1, [])),
        ("Event", "isvu", (99, "clicked", ("i", 0), 0)),
        ("AboutToShow", "i", (99,)),
        ("GetProperty", "is", (1, "no-such-property")),
    ):
        reply = host.ask(member, signature, body)
        assert reply.header.message_type is MessageType.error, member
        assert reply.header.fields[HeaderFields.error_name].endswith("InvalidArgs")
    assert host.events == [] and host.opened == []


def test_a_change_is_announced_once_and_the_revision_moves() -> None:
    host = Host()
    host.sent.clear()
    host.menu.show(MENU)  # the same menu: nothing to tell
    assert host.sent == []
    host.menu.show(MenuEntry(0, children=(MenuEntry(7, "_Quit", enabled=False),)))
    (signal,) = host.sent
    assert signal.header.fields[HeaderFields.member] == "LayoutUpdated"
    assert signal.body == (3, 0)
    assert host.answer("GetLayout", "iias", (0, -1, ["enabled"]))[0] == 3
