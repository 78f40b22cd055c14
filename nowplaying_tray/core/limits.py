"""The limits the app puts on what Spotify (or anything posing as it) can make it do.

Listed for people in docs/LIMITS.md; change both together.
"""

from __future__ import annotations

# A response body, before and after decompression. Spotify's largest answer we read
# (a playback state with a long episode description) is well under 100 KB.
MAX_BODY_BYTES = 2 * 1024 * 1024
# A text field kept from a response: a title, an artist, an album, a device name.
MAX_TEXT_CHARS = 1000
# The longest wait a Retry-After (or anything else) can impose before trying again.
MAX_WAIT_S = 24 * 60 * 60
# The whole of a request (connect, headers and body) when the caller gave no timeout.
DEFAULT_DEADLINE_S = 30.0
# JSON, in any file or answer: how deeply it may nest (Spotify's answers nest about 6
# levels), and how large a file of ours may be (a day of counted requests is well under).
MAX_JSON_DEPTH = 64
MAX_JSON_FILE_BYTES = 4 * 1024 * 1024
