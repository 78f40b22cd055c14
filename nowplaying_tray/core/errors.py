"""Named errors: every failure the user can meet, with words a person understands.

Each error carries a short ``title`` (for a tooltip or a dialog heading) and a
``message`` that says what happened and, where possible, what to do about it.
Nothing here ever includes a token, a code or a verifier.
"""

from __future__ import annotations


class NowPlayingError(Exception):
    """Base class of every error this app reports to a person."""

    title = "Something went wrong"

    def __init__(self, message: str | None = None) -> None:
        # Messages carry text from outside (an account name, an error from Spotify): the
        # one sanitiser for human-readable output, imported here (it imports this module).
        from nowplaying_tray.core.text import printable

        super().__init__(printable(message or self.default_message(), keep_lines=True))

    def default_message(self) -> str:
        return self.title

    @property
    def message(self) -> str:
        return str(self)


# --- login and account -----------------------------------------------------


class AuthRequired(NowPlayingError):
    """No usable login: no token stored, or the refresh token expired or was revoked."""

    title = "Not logged in"

    def default_message(self) -> str:
        return "Not logged in to Spotify. Run 'nowplaying-tray login' or use Log in from the menu."


class LoginExpired(AuthRequired):
    """Spotify refused the refresh token (``invalid_grant``): 6 months passed, or it was revoked."""

    title = "Login expired"

    def default_message(self) -> str:
        return (
            "Your Spotify login has ended (Spotify ends every login after 6 months, "
            "or when access is removed). Log in again."
        )


class LoginFailed(NowPlayingError):
    """The interactive login did not complete."""

    title = "Login failed"


class LoginCancelled(LoginFailed):
    title = "Login cancelled"

    def default_message(self) -> str:
        return "The login was cancelled in the browser."


class LoginTimedOut(LoginFailed):
    title = "Login timed out"

    def default_message(self) -> str:
        return "The login timed out: the browser never came back to the app. Try again."


class StateMismatch(LoginFailed):
    title = "Login refused"

    def default_message(self) -> str:
        return (
            "The browser came back with an answer that does not belong to this login "
            "attempt (state mismatch). Nothing was stored. Try logging in again."
        )


class InvalidClientId(LoginFailed):
    title = "Invalid client ID"

    def default_message(self) -> str:
        return (
            "Spotify does not know this client ID. Copy it again from your app's page "
            "on developer.spotify.com (32 hexadecimal characters)."
        )


class MissingClientId(LoginFailed):
    title = "Setup needed"

    def default_message(self) -> str:
        # Imported here: errors is imported by everything, paths only where it speaks.
        from nowplaying_tray.core.paths import AppPaths

        settings_file = AppPaths.default().config_dir / "settings.json"
        return (
            "No Spotify client ID is configured. Register an app on developer.spotify.com, "
            f'then set SPOTIPY_CLIENT_ID or put "client_id" in {settings_file}.'
        )


class KeyringUnavailable(NowPlayingError):
    """No secure place to keep the login. We never fall back to a plain-text file."""

    title = "No keyring"

    def default_message(self) -> str:
        return (
            "No working system keyring was found, so the login cannot be stored safely. "
            "Install and unlock a Secret Service (for example gnome-keyring or KWallet), "
            "or choose a backend with PYTHON_KEYRING_BACKEND."
        )


class NotAllowListed(NowPlayingError):
    """Development-mode 403: this Spotify account is not on the app's allow list."""

    title = "Account not allowed"

    def default_message(self) -> str:
        return (
            "Spotify refused this account for this app. In development mode at most 5 "
            "accounts may use an app: add yours under User Management on "
            "developer.spotify.com/dashboard."
        )


class OwnerPremiumRequired(NotAllowListed):
    """Development-mode 403: the app's owner has no Premium subscription."""

    title = "App owner needs Premium"

    def default_message(self) -> str:
        return (
            "Spotify refused the app because its owner has no Premium subscription. "
            "In development mode the account that registered the app needs Premium."
        )


# --- the Web API -------------------------------------------------------------


class RateLimited(NowPlayingError):
    """Spotify answered 429; no request should be made before ``retry_after`` seconds."""

    title = "Rate-limited"

    def __init__(self, retry_after: float, quota_exceeded: bool = False) -> None:
        self.retry_after = max(0.0, float(retry_after))
        self.quota_exceeded = quota_exceeded
        super().__init__()

    def default_message(self) -> str:
        # Imported here: errors is imported by everything, text only where it speaks.
        from nowplaying_tray.core.text import LONG_WAIT_S, when_again

        what = (
            "Spotify's quota for this app is used up"
            if self.quota_exceeded
            else ("Rate-limited by Spotify")
        )
        if self.retry_after < 1:  # "Retry-After: 0"
            return f"{what} — retry in a few seconds."
        if self.retry_after >= LONG_WAIT_S:
            return f"{what}; it should work again {when_again(self.retry_after)}."
        return f"{what} — retry in {round(self.retry_after)} s."


class BudgetSpent(NowPlayingError):
    """Our own count of the day's requests says no more until one leaves the 24-hour window."""

    title = "Daily limit reached"

    def __init__(self, spent: int, limit: int, frees_in_s: float) -> None:
        self.spent, self.limit = spent, limit
        self.frees_in_s = max(0.0, float(frees_in_s))
        super().__init__()

    def default_message(self) -> str:
        from nowplaying_tray.core.text import when_again

        return (
            f"The daily request budget is used up ({self.spent:,} of {self.limit:,} in the "
            f"last 24 hours); the next request frees up {when_again(self.frees_in_s)}."
        )


class PremiumRequired(NowPlayingError):
    title = "Premium required"

    def default_message(self) -> str:
        return "Spotify Premium is required to control playback."


class NoActiveDevice(NowPlayingError):
    title = "No active device"

    def default_message(self) -> str:
        return "No active Spotify device. Start playing on a phone, computer or speaker first."


class Offline(NowPlayingError):
    """The network or Spotify could not be reached at all."""

    title = "Offline"

    def default_message(self) -> str:
        return "Spotify is unreachable. Check your network connection."


class ApiUnavailable(NowPlayingError):
    """Spotify answered, but with an error or a body we cannot read."""

    title = "Spotify unavailable"

    def default_message(self) -> str:
        return "Spotify is having trouble right now. The app will retry."


class SpotifyRequestFailed(NowPlayingError):
    """Any other error answer we have no better name for."""

    title = "Request failed"


class RestrictionViolated(SpotifyRequestFailed):
    """A control the player does not allow at this moment (403 "Restriction violated"):
    pausing what is already paused, skipping an advertisement."""

    title = "Not possible right now"

    def default_message(self) -> str:
        return "Spotify does not allow that right now."


# --- templates and settings -----------------------------------------------------


class InvalidTemplate(NowPlayingError):
    """A text template (``now --format``, the tooltip, the now-playing file) cannot be used."""

    title = "Invalid template"

    def __init__(self, message: str, unknown_key: str | None = None) -> None:
        self.unknown_key = unknown_key  # set when the only problem is a key we do not know
        super().__init__(message)


class VolumeUnsupported(SpotifyRequestFailed):
    """The device does not let the Web API set its volume (403 VOLUME_CONTROL_DISALLOW)."""

    title = "Volume not available"

    def default_message(self) -> str:
        return "This device does not let Spotify change its volume from here."


# --- local files -------------------------------------------------------------


class FileWriteFailed(NowPlayingError):
    """A file of ours (settings, the now-playing file) could not be written."""

    title = "Could not save"

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"Could not write {path}: {reason}.")


class OverlayPortUnavailable(NowPlayingError):
    """The stream overlay's port could not be listened on (another program has it)."""

    title = "Stream overlay not started"

    def __init__(self, port: int, reason: str) -> None:
        super().__init__(
            f"The stream overlay could not use port {port} on 127.0.0.1 ({reason}). "
            "Choose another port in Settings."
        )
        self.port = port


class ArtUnreadable(NowPlayingError):
    """A player's album art file on this computer is missing, too big or not an image."""

    title = "Album art not shown"

    def default_message(self) -> str:
        return "The player's album art file could not be read as an image."


# --- lyrics ------------------------------------------------------------------


class LyricsUnavailable(NowPlayingError):
    """The lyrics service could not be reached or sent an answer we cannot read.

    Lyrics are extra: this is logged in one line and never shown to the person."""

    title = "Lyrics unavailable"

    def default_message(self) -> str:
        return "The lyrics service could not be reached."
