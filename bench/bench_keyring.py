"""A keyring backend for benchmarks only: secrets in one JSON file named by an env var.

The app under test runs in its own process with
``PYTHON_KEYRING_BACKEND=bench_keyring.BenchFileKeyring`` and ``BENCH_KEYRING_FILE``;
the benchmark logs in beforehand, against a local simulator, into the same file.
The tokens belong to that simulator and are worthless anywhere else.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

ENV_FILE = "BENCH_KEYRING_FILE"


class BenchFileKeyring(KeyringBackend):
    priority = 0.1  # type: ignore[assignment]  # only ever chosen by name

    def __init__(self, path: Path | str | None = None) -> None:
        super().__init__()
        self._path = Path(path or os.environ[ENV_FILE])
        self._lock = threading.Lock()

    def _load(self) -> dict[str, str]:
        try:
            return json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def _save(self, secrets: dict[str, str]) -> None:
        self._path.write_text(json.dumps(secrets), encoding="utf-8")

    @staticmethod
    def _key(service: str, username: str) -> str:
        return f"{service}\x1f{username}"

    def get_password(self, service: str, username: str) -> str | None:
        with self._lock:
            return self._load().get(self._key(service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._lock:
            secrets = self._load()
            secrets[self._key(service, username)] = password
            self._save(secrets)

    def delete_password(self, service: str, username: str) -> None:
        with self._lock:
            secrets = self._load()
            if secrets.pop(self._key(service, username), None) is None:
                raise PasswordDeleteError("not stored")
            self._save(secrets)
