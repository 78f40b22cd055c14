"""A real Secret Service (gnome-keyring) on a private session bus."""

from __future__ import annotations

import contextlib
import logging
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path

from ._proc import ServiceError, managed_process
from .bus import wait_for_name
from .env import isolated_env, socket_dir

logger = logging.getLogger(__name__)

SECRETS_NAME = "org.freedesktop.secrets"


@contextlib.contextmanager
def secret_service(
    bus_address: str,
    tmp_path: Path,
    password: str = "desktop-test",
    base_env: Mapping[str, str] | None = None,
) -> Iterator[dict[str, str]]:
    """Run an unlocked ``gnome-keyring-daemon --components=secrets`` on ``bus_address``.

    The keyring files go to ``tmp_path/keyring/data`` and its control socket to
    ``tmp_path/keyring/runtime`` (mode 0700; a short directory in /tmp instead if
    that path is too long for a Unix socket). Yields the variables a child process needs
    to reach it: ``DBUS_SESSION_BUS_ADDRESS``, ``XDG_DATA_HOME``, ``XDG_RUNTIME_DIR`` and
    ``GNOME_KEYRING_CONTROL``. Merge them into the child's environment; Python's
    ``keyring`` then picks ``keyring.backends.SecretService.Keyring``.

    ``--unlock`` reads the password from stdin and creates/unlocks the ``login``
    collection with it; without it, every write fails with "Prompt dismissed".
    """
    root = tmp_path / "keyring"
    env = dict(base_env) if base_env is not None else isolated_env(root)
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    log_path = root / "gnome-keyring.log"
    with contextlib.ExitStack() as stack:
        # The control socket is XDG_RUNTIME_DIR/keyring/control.
        runtime = stack.enter_context(socket_dir(root / "runtime", len("keyring/control")))
        env.update(
            {
                "DBUS_SESSION_BUS_ADDRESS": bus_address,
                "XDG_DATA_HOME": str(data),
                "XDG_RUNTIME_DIR": str(runtime),
            }
        )
        proc = stack.enter_context(
            managed_process(
                ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                name="gnome-keyring-daemon",
                env=env,
                log_path=log_path,
                stdin=subprocess.PIPE,
            )
        )
        if proc.stdin is None:  # pragma: no cover - stdin=PIPE always sets it
            raise ServiceError("gnome-keyring-daemon has no stdin")
        proc.stdin.write(password.encode())
        proc.stdin.close()  # EOF ends the password
        wait_for_name(bus_address, SECRETS_NAME, proc=proc, log_path=log_path)
        child_env = {
            "DBUS_SESSION_BUS_ADDRESS": bus_address,
            "XDG_DATA_HOME": str(data),
            "XDG_RUNTIME_DIR": str(runtime),
        }
        control = runtime / "keyring"
        if control.exists():
            child_env["GNOME_KEYRING_CONTROL"] = str(control)
        logger.info("secret service up (pid %d) on %s", proc.pid, bus_address)
        yield child_env
