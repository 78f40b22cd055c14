"""Handing a link or a folder to the desktop (the browser, the file manager)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from nowplaying_tray.core.atomic import make_private_dir

logger = logging.getLogger(__name__)


def open_url(url: str) -> None:
    QDesktopServices.openUrl(QUrl(url))


def open_folder(path: Path) -> None:
    """Open ``path`` in the file manager, made first if it does not exist yet."""
    make_private_dir(path)  # 0700, like every directory of ours
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
