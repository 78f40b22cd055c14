"""A stand-in browser for ``BROWSER``: opens the login URL and answers the consent page.

``python -m tests.support.browser URL [agree|cancel]``. The login flow waits for
the browser command to return, so ``browser_command`` writes a small script that
starts this in the background and returns at once, as a real browser launcher does.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from tests.support.login import answer_consent

REPO_ROOT = Path(__file__).resolve().parents[2]


def browser_command(directory: Path, decision: str = "agree") -> str:
    script = directory / f"browser-{decision}.sh"
    script.write_text(
        "#!/bin/sh\n"
        f"cd {shlex.quote(str(REPO_ROOT))}\n"
        f'{shlex.quote(sys.executable)} -m tests.support.browser "$1" {decision} '
        ">/dev/null 2>&1 &\n"
    )
    script.chmod(0o755)
    return str(script)


if __name__ == "__main__":
    answer_consent(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "agree")
