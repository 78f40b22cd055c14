"""ExportedObject: method dispatch, properties, introspection and error replies, no bus needed."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

from jeepney import DBusAddress, HeaderFields, MessageFlag, MessageType, new_method_call

from nowplaying_tray.bus.exported import (
    CallError,
    ExportedObject,
    ExportedTree,
    Interface,
    Method,
    Property,
)

PATH = "/org/mpris/MediaPlayer2"
PLAYER = "org.mpris.MediaPlayer2.Player"
PROPS = "org.freedesktop.DBus.Properties"


class Thing:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.volume = 0.5
        self.object = ExportedObject(
            PATH,
            [
                Interface(
                    PLAYER,
                    methods={
                        "Next": Method(lambda: self.calls.append(("Next",))),
                        "Seek": Method(
                            lambda o: self.calls.append(("Seek", o)), (("Offset", "x"),)
                        ),
                        "Broken": Method(lambda: 1 / 0),
                    },
                    properties={
                        "PlaybackStatus": Property("s", lambda: "Playing"),
                        "Volume": Property("d", lambda: self.volume, self.set_volume),
                    },
                    signals={"Seeked": (("Position", "x"),)},
                )
            ],
        )

    def set_volume(self, value: float) -> None:
        self.volume = value

    def ask(self, member: str, signature: str = "", body: tuple[Any, ...] = (), **kw: Any) -> Any:
        interface = kw.get("interface", PLAYER)
        address = DBusAddress(kw.get("path", PATH), bus_name=":1.1", interface=interface)
        return self.object.reply_to(new_method_call(address, member, signature or None, body))


def error_name(reply: Any) -> str | None:
    assert reply is not None
    if reply.header.message_type is not MessageType.error:
        return None
    return str(reply.header.fields[HeaderFields.error_name])


def test_methods_are_called_with_their_arguments_and_answered() -> None:
    thing = Thing()
    assert error_name(thing.ask("Next")) is None
    assert error_name(thing.ask("Seek", "x", (-5_000_000,))) is None
    assert thing.calls == [("Next",), ("Seek", -5_000_000)]


def test_bad_calls_get_error_replies_and_do_not_raise() -> None:
    thing = Thing()
    fail = "org.freedesktop.DBus.Error."
    assert error_name(thing.ask("Bogus")) == fail + "UnknownMethod"
    assert error_name(thing.ask("Seek", "s", ("x",))) == fail + "InvalidArgs"
    assert error_name(thing.ask("Next", interface="org.example.Nope")) == fail + "UnknownInterface"
    assert error_name(thing.ask("Next", path="/elsewhere")) == fail + "UnknownObject"
    assert error_name(thing.ask("Broken")) == fail + "Failed"
    get = ("Get", "ss")
    assert (
        error_name(thing.ask(*get, (PLAYER, "Nope"), interface=PROPS)) == fail + "UnknownProperty"
    )
    assert error_name(thing.ask("Get", "s", (PLAYER,), interface=PROPS)) == fail + "InvalidArgs"
    read_only = (PLAYER, "PlaybackStatus", ("s", "Paused"))
    assert error_name(thing.ask("Set", "ssv", read_only, interface=PROPS)) == (
        fail + "PropertyReadOnly"
    )
    wrong_type = (PLAYER, "Volume", ("s", "loud"))
    assert error_name(thing.ask("Set", "ssv", wrong_type, interface=PROPS)) == fail + "InvalidArgs"
    assert thing.calls == []


def test_properties_get_get_all_and_set() -> None:
    thing = Thing()
    assert thing.ask("Get", "ss", (PLAYER, "Volume"), interface=PROPS).body == (("d", 0.5),)
    (everything,) = thing.ask("GetAll", "s", (PLAYER,), interface=PROPS).body
    assert everything == {"PlaybackStatus": ("s", "Playing"), "Volume": ("d", 0.5)}
    unknown = thing.ask("GetAll", "s", ("org.example.Other",), interface=PROPS)
    assert error_name(unknown) == "org.freedesktop.DBus.Error.UnknownInterface"
    assert (
        error_name(thing.ask("Set", "ssv", (PLAYER, "Volume", ("d", 0.2)), interface=PROPS)) is None
    )
    assert thing.volume == 0.2


def test_properties_without_an_interface_go_by_member_and_property_name() -> None:
    """The D-Bus specification: a call without an interface header goes by its member name,
    and Properties.Get may leave the interface name empty."""
    thing = Thing()
    assert thing.ask("Get", "ss", (PLAYER, "Volume"), interface=None).body == (("d", 0.5),)
    assert thing.ask("Get", "ss", ("", "PlaybackStatus"), interface=PROPS).body == (
        ("s", "Playing"),
    )
    assert error_name(thing.ask("Set", "ssv", ("", "Volume", ("d", 0.7)), interface=None)) is None
    assert thing.volume == 0.7
    (everything,) = thing.ask("GetAll", "s", ("",), interface=None).body
    assert set(everything) == {"PlaybackStatus", "Volume"}
    fail = "org.freedesktop.DBus.Error."
    assert error_name(thing.ask("Get", "ss", ("", "Nope"), interface=PROPS)) == (
        fail + "UnknownProperty"
    )
    assert error_name(thing.ask("Seek", "x", (1,), interface=None)) is None  # still a method
    assert thing.calls == [("Seek", 1)]


def test_a_setter_can_refuse_with_a_named_error() -> None:
    def refuse(value: float) -> None:
        raise CallError("NotSupported", "no volume here")

    thing = ExportedObject(
        PATH, [Interface(PLAYER, properties={"Volume": Property("d", lambda: 1.0, refuse)})]
    )
    address = DBusAddress(PATH, bus_name=":1.1", interface=PROPS)
    reply = thing.reply_to(new_method_call(address, "Set", "ssv", (PLAYER, "Volume", ("d", 0.1))))
    assert error_name(reply) == "org.freedesktop.DBus.Error.NotSupported"
    assert reply.body == ("no volume here",)


def test_introspection_lists_our_interfaces_and_the_way_down() -> None:
    thing = Thing()
    intro = "org.freedesktop.DBus.Introspectable"
    (xml,) = thing.ask("Introspect", interface=intro).body
    root = ElementTree.fromstring(xml.split("\n", 2)[2])  # after the DOCTYPE
    names = {node.get("name") for node in root.iter("interface")}
    assert names == {intro, "org.freedesktop.DBus.Peer", PROPS, PLAYER}
    player = next(node for node in root.iter("interface") if node.get("name") == PLAYER)
    seek = next(node for node in player.iter("method") if node.get("name") == "Seek")
    assert [(a.get("type"), a.get("direction")) for a in seek] == [("x", "in")]
    volume = next(node for node in player.iter("property") if node.get("name") == "Volume")
    assert (volume.get("type"), volume.get("access")) == ("d", "readwrite")
    (above,) = thing.ask("Introspect", path="/org", interface=intro).body
    assert [n.get("name") for n in ElementTree.fromstring(above.split("\n", 2)[2])] == ["mpris"]
    assert error_name(thing.ask("Ping", interface="org.freedesktop.DBus.Peer")) is None


def test_no_reply_when_none_is_wanted_and_none_to_signals() -> None:
    thing = Thing()
    message = new_method_call(DBusAddress(PATH, bus_name=":1.1", interface=PLAYER), "Next")
    message.header.flags |= MessageFlag.no_reply_expected
    assert thing.object.reply_to(message) is None
    assert thing.calls == [("Next",)]
    signal = thing.object.properties_changed(PLAYER, {"Volume": 0.3})
    assert signal.body == (PLAYER, {"Volume": ("d", 0.3)}, [])
    assert thing.object.reply_to(signal) is None


def test_objects_on_one_connection_answer_only_their_own_calls() -> None:
    thing = Thing()
    other = ExportedObject("/StatusNotifierItem", [Interface("org.kde.StatusNotifierItem")])
    tree = ExportedTree()
    tree.add(thing.object)
    tree.add(other)

    def ask(path: str, member: str, interface: str | None = None) -> Any:
        address = DBusAddress(path, bus_name=":1.1", interface=interface)
        return tree.reply_to(new_method_call(address, member))

    assert error_name(ask(PATH, "Next", PLAYER)) is None
    assert thing.calls == [("Next",)]
    assert error_name(ask("/StatusNotifierItem", "Next", PLAYER)) == (
        "org.freedesktop.DBus.Error.UnknownInterface"
    )
    assert thing.calls == [("Next",)]  # not also answered by the other object
    assert error_name(ask("/elsewhere", "Next")) == "org.freedesktop.DBus.Error.UnknownObject"
    root = ElementTree.fromstring(ask("/", "Introspect").body[0])
    assert sorted(node.get("name") for node in root.findall("node")) == [
        "StatusNotifierItem",
        "org",
    ]


def test_a_method_with_results_is_answered_with_them() -> None:
    answering = ExportedObject(
        "/MenuBar",
        [
            Interface(
                "com.canonical.dbusmenu",
                methods={"AboutToShow": Method(lambda i: (i > 0,), (("id", "i"),), returns="b")},
            )
        ],
    )
    address = DBusAddress("/MenuBar", bus_name=":1.1", interface="com.canonical.dbusmenu")
    reply = answering.reply_to(new_method_call(address, "AboutToShow", "i", (3,)))
    assert reply.body == (True,)
    introspect = new_method_call(DBusAddress("/MenuBar", bus_name=":1.1"), "Introspect")
    xml = answering.reply_to(introspect).body[0]
    assert '<arg name="out0" type="b" direction="out"/>' in xml
