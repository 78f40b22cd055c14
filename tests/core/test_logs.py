from __future__ import annotations

import logging
from pathlib import Path

from nowplaying_tray.logs import configure_logging, redact


def test_redacts_the_shapes_spotipy_logs() -> None:
    lines = {
        "Headers: {'Authorization': 'Bearer BQDsecret.tok-en'}": "BQDsecret",
        "Body: {'refresh_token': 'AQCrefresh', 'grant_type': 'refresh_token'}": "AQCrefresh",
        '{"code": "AQBcode", "code_verifier": "verif-ier"}': "AQBcode",
        "GET /callback?code=AQBcode2&state=st4te HTTP/1.1": "AQBcode2",
        "access_token=xyz123&token_type=Bearer": "xyz123",
    }
    for line, secret in lines.items():
        assert secret not in redact(line)
    assert "grant_type': 'refresh_token'" in redact(next(iter(list(lines)[1:2])))


def test_log_file_is_redacted(tmp_path: Path) -> None:
    log_file = configure_logging(debug=True, log_dir=tmp_path, console=False)
    logging.getLogger("spotipy.client").debug("Headers: {'Authorization': 'Bearer SECRET1'}")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert log_file is not None
    text = log_file.read_text()
    assert "SECRET1" not in text and "[REDACTED]" in text
    configure_logging(debug=False, log_dir=None, console=False)
