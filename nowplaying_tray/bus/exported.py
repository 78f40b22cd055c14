"""An object we export on the bus, declared as plain data: its methods, properties, signals.

jeepney only sends and receives messages, so method dispatch, the standard
``Properties``, ``Introspectable`` and ``Peer`` interfaces, and error replies are
done here. A bad call gets an error reply, never an exception: whatever a peer
sends, the thread that serves it goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

PROPERTIES = "org.freedesktop.DBus.Properties"
INTROSPECTABLE = "org.freedesktop.DBus.Introspectable"
PEER = "org.freedesktop.DBus.Peer"
_ERROR = "org.freedesktop.DBus.Error."
_INTROSPECT_HEAD = (
    '<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"\n'
    ' "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">\n<node>\n'
)
Args = tuple[tuple[str, str], ...]  # (name, signature) per argument
_STANDARD = f"""  <interface name="{INTROSPECTABLE}">
    <method name="Introspect"><arg name="xml_data" type="s" direction="out"/></method>
  </interface>
  <interface name="{PEER}">
    <method name="Ping"/>
  </interface>
  <interface name="{PROPERTIES}">
    <method name="Get"><arg name="interface_name" type="s" direction="in"/>
      <arg name="property_name" type="s" direction="in"/>
      <arg name="value" type="v" direction="out"/></method>
    <method name="GetAll"><arg name="interface_name" type="s" direction="in"/>
      <arg name="properties" type="a{{sv}}" direction="out"/></method>
    <method name="Set"><arg name="interface_name" type="s" direction="in"/>
      <arg name="property_name" type="s" direction="in"/>
      <arg name="value" type="v" direction="in"/></method>
    <signal name="PropertiesChanged"><arg name="interface_name" type="s"/>
      <arg name="changed_properties" type="a{{sv}}"/>
      <arg name="invalidated_properties" type="as"/></signal>
  </interface>
"""


@dataclass(frozen=True)
class Property:
    signature: str
    get: Callable[[], Any]  # the plain value (an ``a{sv}`` as a dict of ``(signature, value)``)
    set: Callable[[Any], None] | None = None  # writable when given


@dataclass(frozen=True)
class Method:
    call: Callable[..., Any]  # called with the arguments; returns the reply's body when
    args: Args = ()
    returns: str = ""  # the reply's signature; "" for a method that returns nothing


@dataclass(frozen=True)
class Interface:
    name: str
    methods: dict[str, Method] = field(default_factory=dict)
    properties: dict[str, Property] = field(default_factory=dict)
    signals: dict[str, Args] = field(default_factory=dict)


class CallError(Exception):
    """Becomes an error reply named ``org.freedesktop.DBus.Error.<name>``."""

    def __init__(self, name: str, text: str) -> None:
        super().__init__(text)
        self.name = name


class ExportedTree:
    """Every object we export on one connection: a call goes to the object at its path,
    ``Introspect`` on a path above them shows the way down, any other path is an error.
    One tree per connection, so that two objects never both answer one call."""

    def __init__(self) -> None:
        self._objects: dict[str, ExportedObject] = {}

    def add(self, exported: ExportedObject) -> None:
        self._objects[exported.path] = exported

    def reply_to(self, message: Any) -> Any:
        """The reply to a method call; None for other messages, or if none is wanted."""
        from jeepney import HeaderFields, MessageType

        if message.header.message_type is not MessageType.method_call:
            return None
        path = message.header.fields.get(HeaderFields.path, "/")
        exported = self._objects.get(path)
        if exported is None:
            below = [obj.path for obj in self._objects.values() if obj.is_below(path)]
            exported = _Junction(path, below)  # Introspect shows the way down; else an error
        return exported.reply_to(message)


class ExportedObject:
    """The replies for ``path`` (and ``Introspect`` on the paths above it)."""

    def __init__(self, path: str, interfaces: Sequence[Interface]) -> None:
        self.path = path
        self.interfaces = {interface.name: interface for interface in interfaces}

    def reply_to(self, message: Any) -> Any:
        """The reply to a method call to us; None for other messages, or if none is wanted."""
        from jeepney import HeaderFields, MessageFlag, MessageType, new_error, new_method_return

        header = message.header
        if header.message_type is not MessageType.method_call:
            return None
        fields = header.fields
        path, member = fields.get(HeaderFields.path), fields.get(HeaderFields.member)
        interface = fields.get(HeaderFields.interface)
        signature = fields.get(HeaderFields.signature, "")
        try:
            signature_out, body = self._answer(path, interface, member, signature, message.body)
            reply = new_method_return(message, signature_out or None, body)
        except CallError as error:
            reply = new_error(message, _ERROR + error.name, "s", (str(error),))
        except Exception as exc:  # our own bug: say so to the caller, keep serving
            logger.warning("D-Bus %s.%s failed: %s", interface, member, exc, exc_info=True)
            reply = new_error(message, _ERROR + "Failed", "s", (f"{type(exc).__name__}: {exc}",))
        if header.flags & MessageFlag.no_reply_expected:
            return None
        return reply

    def properties_changed(self, interface: str, changed: dict[str, Any]) -> Any:
        """The ``PropertiesChanged`` signal for plain values of ``interface``'s properties."""
        props = self.interfaces[interface].properties
        values = {name: (props[name].signature, value) for name, value in changed.items()}
        return self.signal(PROPERTIES, "PropertiesChanged", "sa{sv}as", (interface, values, []))

    def signal(self, interface: str, member: str, signature: str, body: tuple[Any, ...]) -> Any:
        from jeepney import DBusAddress, new_signal

        address = DBusAddress(self.path, interface=interface)
        return new_signal(address, member, signature or None, body)

    # answers: (signature, body) -------------------------------------------------------

    def _answer(
        self, path: str, interface: str | None, member: str, signature: str, body: tuple[Any, ...]
    ) -> tuple[str, tuple[Any, ...]]:
        if path != self.path:
            if (
                interface in (None, INTROSPECTABLE)
                and member == "Introspect"
                and self.is_below(path)
            ):
                return "s", (self._introspect(path),)
            raise CallError("UnknownObject", f"No object at {path}")
        if interface in (None, INTROSPECTABLE) and member == "Introspect":
            return "s", (self._introspect(path),)
        if interface in (None, PEER) and member == "Ping":
            return "", ()
        if interface == PROPERTIES or (interface is None and self._is_properties_call(member)):
            return self._properties(member, signature, body)
        method = self._method(interface, member)
        wanted = "".join(sig for _name, sig in method.args)
        if signature != wanted:
            raise CallError("InvalidArgs", f"{member} takes ({wanted}), not ({signature})")
        result = method.call(*body)
        return (method.returns, tuple(result)) if method.returns else ("", ())

    def _method(self, interface: str | None, member: str) -> Method:
        if interface is not None and interface not in self.interfaces:
            raise CallError("UnknownInterface", f"No interface {interface}")
        for candidate in self.interfaces.values():
            if interface in (None, candidate.name) and member in candidate.methods:
                return candidate.methods[member]
        raise CallError("UnknownMethod", f"No method {member} in {interface or 'any interface'}")

    def _properties(
        self, member: str, signature: str, body: tuple[Any, ...]
    ) -> tuple[str, tuple[Any, ...]]:
        wanted = {"Get": "ss", "GetAll": "s", "Set": "ssv"}.get(member)
        if wanted is None:
            raise CallError("UnknownMethod", f"No method {member} in {PROPERTIES}")
        if signature != wanted:
            raise CallError("InvalidArgs", f"{member} takes ({wanted}), not ({signature})")
        if member == "GetAll":
            if body[0] == "":  # no interface named: every property, as for Get below
                chosen = list(self.interfaces.values())
            elif body[0] in self.interfaces:
                chosen = [self.interfaces[body[0]]]
            else:
                raise CallError("UnknownInterface", f"No interface {body[0]}")
            props = [item for interface in chosen for item in interface.properties.items()]
            return "a{sv}", ({name: (p.signature, p.get()) for name, p in props},)
        prop = self._property(body[0], body[1])
        if member == "Get":
            return "v", ((prop.signature, prop.get()),)
        value_signature, value = body[2]
        if prop.set is None:
            raise CallError("PropertyReadOnly", f"{body[1]} is read-only")
        if value_signature != prop.signature:
            raise CallError("InvalidArgs", f"{body[1]} is {prop.signature}, not {value_signature}")
        prop.set(value)
        return "", ()

    def _is_properties_call(self, member: str) -> bool:
        """A call without an interface goes by its member name (the D-Bus specification):
        ``Get``, ``GetAll`` and ``Set`` are ``Properties``' unless an interface of ours has them."""
        ours = any(member in interface.methods for interface in self.interfaces.values())
        return member in ("Get", "GetAll", "Set") and not ours

    def _property(self, interface_name: str, name: str) -> Property:
        if interface_name == "":  # the D-Bus specification allows it: look the name up
            for candidate in self.interfaces.values():
                if name in candidate.properties:
                    return candidate.properties[name]
            raise CallError("UnknownProperty", f"No property {name}")
        interface = self.interfaces.get(interface_name)
        if interface is None:
            raise CallError("UnknownInterface", f"No interface {interface_name}")
        if name not in interface.properties:
            raise CallError("UnknownProperty", f"No property {name} in {interface_name}")
        return interface.properties[name]

    def is_below(self, path: str) -> bool:
        return path == "/" or self.path.startswith(path.rstrip("/") + "/")

    def _introspect(self, path: str) -> str:
        head = _INTROSPECT_HEAD
        if path != self.path:  # a path above ours: only the way down
            return head + _child_nodes(path, [self.path]) + "</node>\n"
        return (
            head + _STANDARD + "".join(map(_interface_xml, self.interfaces.values())) + "</node>\n"
        )


class _Junction(ExportedObject):
    """A path with no object of its own: ``Introspect`` lists the objects below it (if
    any), every other call is an ``UnknownObject`` error."""

    def __init__(self, path: str, below: list[str]) -> None:
        super().__init__(path, ())
        self._below = below

    def _answer(
        self, path: str, interface: str | None, member: str, signature: str, body: tuple[Any, ...]
    ) -> tuple[str, tuple[Any, ...]]:
        if self._below and interface in (None, INTROSPECTABLE) and member == "Introspect":
            return "s", (_INTROSPECT_HEAD + _child_nodes(path, self._below) + "</node>\n",)
        raise CallError("UnknownObject", f"No object at {path}")


def _child_nodes(path: str, below: list[str]) -> str:
    """The ``<node>`` lines for the next step from ``path`` down to each of ``below``."""
    children = {p[len(path.rstrip("/")) + 1 :].split("/", 1)[0] for p in below}
    return "".join(f"  <node name={_quoted(child)}/>\n" for child in sorted(children))


def _interface_xml(interface: Interface) -> str:
    lines = [f"  <interface name={_quoted(interface.name)}>"]
    for name, method in interface.methods.items():
        args = "".join(_arg(arg, sig, "in") for arg, sig in method.args)
        outs = "".join(_arg(f"out{i}", sig, "out") for i, sig in enumerate(_split(method.returns)))
        lines.append(f"    <method name={_quoted(name)}>{args}{outs}</method>")
    for name, signal_args in interface.signals.items():
        args = "".join(_arg(arg, sig, None) for arg, sig in signal_args)
        lines.append(f"    <signal name={_quoted(name)}>{args}</signal>")
    for name, prop in interface.properties.items():
        access = "readwrite" if prop.set is not None else "read"
        lines.append(
            f'    <property name={_quoted(name)} type={_quoted(prop.signature)} access="{access}"/>'
        )
    lines.append("  </interface>\n")
    return "\n".join(lines)


def _split(signature: str) -> list[str]:
    """A signature's complete types: ``"ua(ia{sv}av)"`` -> ``["u", "a(ia{sv}av)"]``."""
    types, depth, start = [], 0, 0
    for index, char in enumerate(signature):
        if char in "({":
            depth += 1
        elif char in ")}":
            depth -= 1
        if depth == 0 and char != "a":
            types.append(signature[start : index + 1])
            start = index + 1
    return types


def _quoted(text: str) -> str:
    """An XML attribute value, quoted (xml.sax.saxutils would import urllib.request)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return f'"{escaped}"'


def _arg(name: str, signature: str, direction: str | None) -> str:
    way = f' direction="{direction}"' if direction else ""
    return f"<arg name={_quoted(name)} type={_quoted(signature)}{way}/>"
