"""A keyring kept in one JSON file, for tests that run the CLI in several processes.

Plain text on purpose and for tests only: it is chosen explicitly with
``PYTHON_KEYRING_BACKEND`` and lives outside the app's own directories.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

ENV_FILE = "NOWPLAYING_TEST_KEYRING_FILE"


class JsonFileKeyring(KeyringBackend):
    priority = 0.1  # type: ignore[assignment]

    @property
    def _path(self) -> Path:
        return Path(os.environ[ENV_FILE])

    def _load(self) -> dict[str, str]:
        try:
            return json.loads(self._path.read_text())
        except FileNotFoundError:
            return {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load() | {f"{service}/{username}": password}
        self._path.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError("not stored")
        self._path.write_text(json.dumps(data))


class FailingKeyring(KeyringBackend):
    """A keyring that raises on every call, as a broken or misconfigured one does."""

    priority = 0.1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("this keyring fails every call")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("this keyring fails every call")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("this keyring fails every call")
