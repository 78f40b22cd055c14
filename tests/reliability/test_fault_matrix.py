"""The fault matrix: every failure a person can meet, against the simulator, with the
popup closed and open.

Each case injects one fault into a running, logged-in app and checks three things:

- what the person sees: the tray tooltip and icon kind, and the popup's status line
  when it is open (the popup stays up and keeps its buttons);
- that nothing crashed and no traceback was shown or logged (``crash_watch``), and that
  no login is lost on a transient error;
- recovery on the app's own schedule: once the fault is gone, playback is back within
  the retry delay the app announced (``Poller.retry_in_s()`` when the error appeared)
  plus a margin, with no ``poll_now`` from the test, and not before that delay either.

The schedule is shrunk with a small ``PollConfig`` so the whole matrix runs in a little
over a minute; the timings are the policy's, only smaller.

``test_retry_after_holds_for_every_call`` (at the end): a 429 holds back every call to
Spotify, not only the poller's.
"""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import AppOptions, TrayApp
from nowplaying_tray.core.errors import (
    ApiUnavailable,
    KeyringUnavailable,
    LoginExpired,
    NowPlayingError,
    Offline,
    RateLimited,
)
from nowplaying_tray.core.model import PlaybackState
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.policy import PollConfig
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.text import TOOLTIP_LIMIT, elide
from nowplaying_tray.core.tray_status import (
    LOGGING_IN,
    NOT_LOGGED_IN,
    NOTHING_PLAYING,
    StatusKind,
)
from nowplaying_tray.simulator import SpotifySimulator, make_track
from tests.app.conftest import dispose
from tests.reliability.support import (
    LOCKED,
    UNAVAILABLE,
    CrashWatch,
    LockableKeyring,
    token_works,
)
from tests.support import widgets
from tests.support.login import approve_login, follow_redirects

PLAYER = "/v1/me/player"
TOKEN = "/api/token"
PLAYING_INTERVAL_S = 0.5  # settings.poll_interval_s while playing
CONFIG = PollConfig(
    paused_interval_s=0.6,
    idle_interval_s=0.6,
    quiet_after_s=600.0,
    quiet_interval_s=1.0,
    min_delay_s=0.05,
    backoff_start_s=0.3,
    backoff_max_s=2.0,
    rate_limit_jitter_s=0.2,
    # The day's budget, paced over seconds rather than hours: these intervals stay as set.
    budget_horizon_s=1.0,
    budget_min_day_left_s=1.0,
    budget_interactive_horizon_s=1.0,
)
# Slack on top of the announced retry delay: the request itself, timer slop, a busy CI box.
MARGIN_S = 1.5
# A retry may fire this much before the announced moment (timers round to whole ms,
# and the moment is read a little after the error).
EARLY_S = 0.05
SIGNAL_MS = 5000

TRACK = make_track("Holocene", ["Bon Iver"], "Bon Iver, Bon Iver", 600_000)
PLAYING_TOOLTIP = "Holocene — Bon Iver\nBon Iver, Bon Iver"
POPUP_BUTTONS = {"previous", "play_pause", "next", "save", "open"}


def closed_port() -> int:
    """A loopback port nobody listens on (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- the rig: one app against the simulator -------------------------------------------------


@dataclass
class Rig:
    qtbot: QtBot
    sim: SpotifySimulator
    keyring: LockableKeyring
    settings: Settings
    paths: AppPaths
    watch: CrashWatch
    popup: bool
    apps: list[TrayApp] = field(default_factory=list)

    @property
    def app(self) -> TrayApp:
        return self.apps[-1]

    def build(self) -> TrayApp:
        app = TrayApp(
            self.settings,
            self.paths,
            AppOptions(
                keyring_backend=self.keyring,
                open_url=follow_redirects,
                use_dbus_notifications=False,
                tray_wait_attempts=10_000,  # offscreen has no tray; keep waiting quietly
                poll_config=CONFIG,
            ),
        )
        self.apps.append(app)
        self.watch.watch(app.poller)
        return app

    def start(self) -> TrayApp:
        """A started app showing playback; the popup opened first if this case wants it."""
        app = self.build()
        with self.qtbot.waitSignal(app.hub.playback_changed, timeout=SIGNAL_MS):
            app.start()
        if self.popup:
            self.open_popup()
        # Let the follow-up calls of a new item (saved in library? cover art) finish, so
        # the fault meets the poll and not one of them.
        self.qtbot.waitUntil(lambda: app.runner.pending == 0, timeout=SIGNAL_MS)
        assert app.tray.tooltip() == PLAYING_TOOLTIP
        return app

    def open_popup(self) -> None:
        """Open the popup and let the poll it asks for go out, so that no ``poll_now``
        is left pending when a fault is injected: recovery must come from the schedule."""
        with self.qtbot.waitSignal(self.debounce.timeout, timeout=SIGNAL_MS):
            self.app.presenter.show_popup()

    @property
    def debounce(self) -> QTimer:
        timer = self.app.poller.findChild(QTimer, "poll-now-debounce")
        assert timer is not None
        return timer

    def wait_error(self, inject: Callable[[], object]) -> NowPlayingError:
        with self.qtbot.waitSignal(
            self.app.hub.error_changed,
            timeout=SIGNAL_MS,
            check_params_cb=lambda error: error is not None,
        ) as signal:
            inject()
        error = signal.args[0]
        assert isinstance(error, NowPlayingError)
        return error

    def player_requests_after(self, moment: float) -> list[float]:
        return [r.time for r in self.sim.requests if r.path == PLAYER and r.time > moment]

    def trigger(self, key: str) -> None:
        menu = self.app.tray.menu
        menu.aboutToShow.emit()  # what opening the menu does
        action = widgets.menu_entry(menu, key)
        assert action.isEnabled(), f"menu entry {key!r} is disabled"
        action.trigger()

    # what the person sees ------------------------------------------------------------------

    def assert_shows(self, kind: StatusKind, tooltip: str | re.Pattern[str], popup: str) -> None:
        app = self.app
        status = app.tray.status
        assert status is not None and status.kind is kind, status
        text = app.tray.tooltip()
        if isinstance(tooltip, re.Pattern):
            assert tooltip.fullmatch(text), text
        else:
            assert text == tooltip
        assert "Traceback" not in text and "Traceback" not in widgets.text(app.popup, "status")
        if self.popup:
            assert app.popup.isVisible(), "the popup closed by itself"
            assert set(widgets.buttons(app.popup)) == POPUP_BUTTONS
            assert widgets.text(app.popup, "status") == popup

    def assert_playing(self) -> None:
        assert self.app.hub.error is None
        self.assert_shows(StatusKind.PLAYING, PLAYING_TOOLTIP, "")

    def wait_recovery(self, error_at: float, retry_in: float) -> None:
        """Playback is back by the announced retry (plus the margin), not before it."""
        remaining_s = error_at + retry_in + MARGIN_S - time.time()
        with self.qtbot.waitSignal(
            self.app.hub.playback_changed,
            timeout=max(1, int(remaining_s * 1000)),
            check_params_cb=lambda playback: playback.state is PlaybackState.PLAYING,
        ):
            pass
        retries = self.player_requests_after(error_at)
        assert retries, "playback came back without asking Spotify"
        assert retries[0] >= error_at + retry_in - EARLY_S, (
            f"retried {retries[0] - error_at:.3f} s after the error; announced {retry_in:.3f} s"
        )
        self.assert_playing()


@pytest.fixture
def make_rig(
    qtbot: QtBot,
    sim: SpotifySimulator,
    settings: Settings,
    app_paths: AppPaths,
    lockable_keyring: LockableKeyring,
    crash_watch: CrashWatch,
) -> Iterator[Callable[[bool, dict[str, object]], Rig]]:
    rigs: list[Rig] = []
    sim.player.set_queue([TRACK, make_track("Calgary", ["Bon Iver"], "Bon Iver", 600_000)])

    def make(popup: bool, changes: dict[str, object]) -> Rig:
        tuned = settings.with_changes(poll_interval_s=PLAYING_INTERVAL_S, **changes)
        approve_login(tuned, lockable_keyring)
        rig = Rig(qtbot, sim, lockable_keyring, tuned, app_paths, crash_watch, popup)
        rigs.append(rig)
        return rig

    yield make
    lockable_keyring.failure = None
    sim.clear_faults()
    for rig in rigs:
        for app in rig.apps:
            dispose(app)
    QCoreApplication.processEvents()


# -- the cases ---------------------------------------------------------------------------------

UNREACHABLE = "Spotify unreachable — retrying in 1 s"  # first backoff: 0.3-0.36 s, shown as 1
RATE_LIMITED = "Rate-limited by Spotify — retrying in 1 s"  # Retry-After: 1, plus jitter
QUOTA_EXCEEDED = "Spotify's quota for this app is used up — retrying in 1 s"


@dataclass(frozen=True)
class Transient:
    """A fault that goes away: error shown, login kept, back on schedule."""

    name: str
    inject: Callable[[Rig], object]
    clear: Callable[[Rig], object]
    error: type[NowPlayingError]
    tooltip: str
    longest_retry_s: float  # what the policy allows for the first retry
    settings: dict[str, object] = field(default_factory=dict)


def _point_api_at(url: Callable[[Rig], str]) -> Callable[[Rig], object]:
    def apply(rig: Rig) -> None:
        rig.app.preferences.apply(rig.app.settings.with_changes(api_url=url(rig)))

    return apply


def _restore_api(rig: Rig) -> None:
    rig.app.preferences.apply(rig.app.settings.with_changes(api_url=rig.sim.api_url))


def _sim_fault(kind: str, **options: object) -> Callable[[Rig], object]:
    return lambda rig: rig.sim.fail_next(kind, **options)  # type: ignore[arg-type]


def _expire_with_token_fault(kind: str, **options: object) -> Callable[[Rig], object]:
    def inject(rig: Rig) -> None:
        rig.sim.fail_next(kind, path=TOKEN, **options)  # type: ignore[arg-type]
        rig.sim.expire_access_tokens()

    return inject


def _clear_sim(rig: Rig) -> None:
    rig.sim.clear_faults()


BACKOFF_S = CONFIG.backoff_start_s * (1 + CONFIG.backoff_jitter)
RATE_LIMIT_S = 1 + CONFIG.rate_limit_jitter_s

TRANSIENTS = [
    Transient(
        "connection-refused",
        _point_api_at(lambda _: f"http://127.0.0.1:{closed_port()}/v1"),
        _restore_api,
        Offline,
        UNREACHABLE,
        BACKOFF_S,
    ),
    Transient(
        "dns-failure",
        _point_api_at(lambda _: "http://nowhere.invalid/v1"),
        _restore_api,
        Offline,
        UNREACHABLE,
        BACKOFF_S,
    ),
    Transient(
        "timeout",
        _sim_fault("slow", delay=2.0, path=PLAYER),
        _clear_sim,
        ApiUnavailable,
        UNREACHABLE,
        BACKOFF_S,
        {"request_timeout_s": 0.5},
    ),
    *(
        Transient(
            f"http-{status}",
            _sim_fault("server_error", status=status, path=PLAYER),
            _clear_sim,
            ApiUnavailable,
            UNREACHABLE,
            BACKOFF_S,
        )
        for status in (500, 502, 503)
    ),
    Transient(
        "connection-dropped",
        _sim_fault("drop", path=PLAYER),
        _clear_sim,
        Offline,
        UNREACHABLE,
        BACKOFF_S,
    ),
    Transient(
        "429-small-retry-after",
        _sim_fault("rate_limit", retry_after=1, path=PLAYER),
        _clear_sim,
        RateLimited,
        RATE_LIMITED,
        RATE_LIMIT_S,
    ),
    Transient(
        "429-quota-exceeded",
        _sim_fault("rate_limit", retry_after=1, quota_exceeded=True, path=PLAYER),
        _clear_sim,
        RateLimited,
        QUOTA_EXCEEDED,
        RATE_LIMIT_S,
    ),
    Transient(
        "malformed-json",
        _sim_fault("malformed", path=PLAYER),
        _clear_sim,
        ApiUnavailable,
        UNREACHABLE,
        BACKOFF_S,
    ),
    # A 401 whose refresh meets a broken token endpoint: the refresh token must survive.
    *(
        Transient(
            f"401-refresh-{name}",
            _expire_with_token_fault(kind, **options),
            _clear_sim,
            error,
            tooltip,
            longest,
        )
        for name, kind, options, error, tooltip, longest in (
            ("503", "server_error", {"status": 503}, ApiUnavailable, UNREACHABLE, BACKOFF_S),
            ("dropped", "drop", {}, Offline, UNREACHABLE, BACKOFF_S),
            ("malformed", "malformed", {}, ApiUnavailable, UNREACHABLE, BACKOFF_S),
            ("empty-200", "empty_200", {}, ApiUnavailable, UNREACHABLE, BACKOFF_S),
            ("429", "rate_limit", {"retry_after": 1}, RateLimited, RATE_LIMITED, RATE_LIMIT_S),
        )
    ),
]


def run_transient(rig: Rig, case: Transient) -> None:
    rig.start()
    token = rig.keyring.stored_token()
    assert token is not None
    error = rig.wait_error(lambda: case.inject(rig))
    error_at, retry_in = time.time(), rig.app.poller.retry_in_s()
    assert isinstance(error, case.error), error
    if case.name == "429-quota-exceeded":
        assert isinstance(error, RateLimited) and error.quota_exceeded
    assert retry_in is not None and 0 < retry_in <= case.longest_retry_s
    rig.assert_shows(StatusKind.ERROR, case.tooltip, case.tooltip)
    assert rig.app.poller.running
    case.clear(rig)
    rig.wait_recovery(error_at, retry_in)
    stored = rig.keyring.stored_token()
    assert stored is not None and stored["refresh_token"] == token["refresh_token"]
    assert token_works(rig.sim, stored)


def run_huge_retry_after(rig: Rig) -> None:
    """Retry-After: 3600 is obeyed: no request to the player endpoint, even when the
    person opens the popup or asks for a refresh; the tooltip says when, an hour on."""
    rig.start()
    token = rig.keyring.stored_token()
    error = rig.wait_error(lambda: rig.sim.fail_next("rate_limit", retry_after=3600, path=PLAYER))
    assert isinstance(error, RateLimited) and error.retry_after == 3600
    retry_in = rig.app.poller.retry_in_s()
    assert retry_in is not None and retry_in >= 3590
    countdown = re.compile(
        r"Rate-limited by Spotify — works again (tomorrow )?at \d\d:\d\d \(in (1 h|59 min)\)"
    )
    assert countdown.fullmatch(rig.app.tray.tooltip()), rig.app.tray.tooltip()
    rig.assert_shows(StatusKind.ERROR, countdown, rig.app.tray.tooltip())

    asked = rig.sim.count(PLAYER)
    poller = rig.app.poller
    with (
        rig.qtbot.assertNotEmitted(poller.playback_changed),
        rig.qtbot.assertNotEmitted(poller.error_changed),
    ):
        if rig.app.popup.isVisible():
            rig.app.popup.hide()
        rig.open_popup()  # asks for a poll at once; the rate limit defers it
        with rig.qtbot.waitSignal(rig.debounce.timeout, timeout=SIGNAL_MS):
            rig.trigger("refresh")
        # Two more playing intervals: no scheduled poll sneaks out either.
        with rig.qtbot.assertNotEmitted(poller.playback_changed, wait=1000):
            pass
    assert rig.sim.count(PLAYER) == asked
    retry_in = poller.retry_in_s()
    assert retry_in is not None and retry_in >= 3580
    assert rig.app.popup.isVisible()
    assert countdown.fullmatch(widgets.text(rig.app.popup, "status"))
    assert rig.keyring.stored_token() == token


def run_empty_200(rig: Rig) -> None:
    """An empty 200 means nothing is playing: no error; the next poll shows the track."""
    rig.start()
    poller = rig.app.poller
    with (
        rig.qtbot.assertNotEmitted(poller.error_changed),
        rig.qtbot.waitSignal(
            poller.playback_changed,
            timeout=SIGNAL_MS,
            check_params_cb=lambda playback: playback.state is PlaybackState.IDLE,
        ),
    ):
        rig.sim.fail_next("empty_200", path=PLAYER)
    shown_at, retry_in = time.time(), poller.retry_in_s()
    rig.assert_shows(StatusKind.IDLE, NOTHING_PLAYING, "")
    assert widgets.text(rig.app.popup, "title") == NOTHING_PLAYING
    expected = PLAYING_INTERVAL_S if rig.popup else CONFIG.idle_interval_s
    assert retry_in is not None and retry_in == pytest.approx(expected, abs=0.05)
    with rig.qtbot.assertNotEmitted(poller.error_changed):
        rig.wait_recovery(shown_at, retry_in)


def run_expired_access_token(rig: Rig) -> None:
    """A 401 mid-session: the next scheduled poll refreshes once and carries on unseen."""
    rig.start()
    token = rig.keyring.stored_token()
    refreshes = rig.sim.count(TOKEN, "POST")
    poller = rig.app.poller
    with (
        rig.qtbot.assertNotEmitted(poller.error_changed),
        rig.qtbot.waitSignal(
            poller.playback_changed,
            timeout=int((PLAYING_INTERVAL_S + MARGIN_S) * 1000),
            check_params_cb=lambda _: rig.sim.count(TOKEN, "POST") > refreshes,
        ),
    ):
        rig.sim.expire_access_tokens()
    assert rig.sim.count(TOKEN, "POST") == refreshes + 1
    rig.assert_playing()
    stored = rig.keyring.stored_token()
    assert stored is not None and token is not None
    assert stored["access_token"] != token["access_token"]
    assert token_works(rig.sim, stored)


def run_revoked_refresh_token(rig: Rig) -> None:
    """The login is gone for good (``invalid_grant``): polling stops, the dead token is
    removed, and a new login opens at once, once; it brings playback back."""
    rig.start()
    poller = rig.app.poller
    logins: list[None] = []
    rig.app.account.login_started.connect(lambda: logins.append(None))
    with rig.qtbot.waitSignal(poller.stopped, timeout=SIGNAL_MS):
        rig.sim.revoke_refresh_tokens()
        rig.sim.expire_access_tokens()
    assert isinstance(poller.error, LoginExpired)
    assert rig.app.account.logging_in and rig.app.tray.tooltip() == LOGGING_IN
    with rig.qtbot.waitSignal(poller.playback_changed, timeout=10_000):
        pass  # the browser (here: one that follows the redirect) finishes the login
    rig.assert_playing()
    assert len(logins) == 1
    assert token_works(rig.sim, rig.keyring.stored_token())


def _assert_keyring_error(rig: Rig, error: NowPlayingError, failure: Exception) -> float:
    assert isinstance(error, KeyringUnavailable), error
    assert str(failure) in error.message  # the backend's own words, for the popup
    retry_in = rig.app.poller.retry_in_s()
    # "Needs attention": checked again after backoff_max_s, no jitter.
    assert retry_in is not None and retry_in == pytest.approx(CONFIG.backoff_max_s, abs=0.1)
    rig.assert_shows(StatusKind.ERROR, elide(error.message, TOOLTIP_LIMIT), error.message)
    assert rig.app.tray.tooltip() != NOT_LOGGED_IN  # the login is there, only locked away
    assert rig.app.poller.running
    return retry_in


def run_keyring_failing_at_start(rig: Rig, failure: Exception) -> None:
    """The keyring fails before the login was ever read: an error, not "Not logged in";
    checked again on the "needs attention" schedule, and fine once the keyring is."""
    rig.keyring.failure = failure
    app = rig.build()
    error = rig.wait_error(app.start)
    if rig.popup:
        # Opened while the error shows; the poll it asks for meets the lock again.
        error = rig.wait_error(app.presenter.show_popup)
    error_at = time.time()
    retry_in = _assert_keyring_error(rig, error, failure)
    rig.keyring.failure = None
    rig.wait_recovery(error_at, retry_in)
    assert token_works(rig.sim, rig.keyring.stored_token())


def run_keyring_failing_mid_session(rig: Rig, failure: Exception) -> None:
    """The keyring fails while the app runs: reads go on from memory; a refreshed login
    that cannot be saved is an error; once the keyring is back the new login is saved."""
    rig.start()
    token = rig.keyring.stored_token()
    poller = rig.app.poller
    rig.keyring.failure = failure
    # Reads keep working from the in-memory copy of the login.
    with (
        rig.qtbot.assertNotEmitted(poller.error_changed),
        rig.qtbot.waitSignal(poller.playback_changed, timeout=SIGNAL_MS),
    ):
        pass
    # A refresh now cannot be saved.
    error = rig.wait_error(rig.sim.expire_access_tokens)
    error_at = time.time()
    retry_in = _assert_keyring_error(rig, error, failure)
    rig.keyring.failure = None
    rig.wait_recovery(error_at, retry_in)
    stored = rig.keyring.stored_token()
    assert stored is not None and token is not None
    assert stored["access_token"] != token["access_token"], "the refreshed login was not saved"
    assert token_works(rig.sim, stored)


@dataclass(frozen=True)
class Case:
    name: str
    run: Callable[[Rig], None]
    settings: dict[str, object] = field(default_factory=dict)


def _transient_case(case: Transient) -> Case:
    return Case(case.name, lambda rig: run_transient(rig, case), case.settings)


CASES = [
    *(_transient_case(case) for case in TRANSIENTS),
    Case("429-huge-retry-after", run_huge_retry_after),
    Case("empty-200", run_empty_200),
    Case("401-mid-session", run_expired_access_token),
    Case("revoked-refresh-token", run_revoked_refresh_token),
    *(
        Case(f"keyring-{name}-{when}", lambda rig, run=run, failure=failure: run(rig, failure))
        for name, failure in (("locked", LOCKED), ("unavailable", UNAVAILABLE))
        for when, run in (
            ("at-start", run_keyring_failing_at_start),
            ("mid-session", run_keyring_failing_mid_session),
        )
    ),
]


@pytest.mark.parametrize("popup", [False, True], ids=["popup-closed", "popup-open"])
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_fault(
    case: Case,
    popup: bool,
    make_rig: Callable[[bool, dict[str, object]], Rig],
    crash_watch: CrashWatch,
) -> None:
    rig = make_rig(popup, case.settings)
    case.run(rig)
    crash_watch.assert_clean()


# -- Retry-After is for the whole app ------------------------------------------------------------


def _library_check_rate_limited(rig: Rig) -> None:
    """The 429 answers the "is it saved?" check the open card makes for its item."""
    rig.sim.fail_next("rate_limit", retry_after=3600, path="/v1/me/library/contains")
    rig.app.presenter.show_popup()  # the library is read only for an item someone sees


def _poll_rate_limited_then_next(rig: Rig) -> None:
    """The 429 answers a poll; then the person presses Next in the popup."""
    rig.wait_error(lambda: rig.sim.fail_next("rate_limit", retry_after=3600, path=PLAYER))
    rig.app.presenter.show_popup()
    widgets.button(rig.app.popup, "next").click()


@pytest.mark.parametrize(
    "scenario",
    [_library_check_rate_limited, _poll_rate_limited_then_next],
    ids=["429-on-library-check", "429-then-control"],
)
def test_retry_after_holds_for_every_call(
    scenario: Callable[[Rig], None],
    make_rig: Callable[[bool, dict[str, object]], Rig],
    crash_watch: CrashWatch,
) -> None:
    """Spotify's rate limit covers the app, not one endpoint: after a 429 with
    ``Retry-After: 3600`` on any call, no request goes out for the hour, and the tray
    says why instead of going quietly stale."""
    rig = make_rig(False, {})
    rig.start()
    answered = len(rig.sim.requests)
    scenario(rig)
    rig.qtbot.waitUntil(
        lambda: any(r.status == 429 for r in rig.sim.requests[answered:]), timeout=SIGNAL_MS
    )
    limited_at = next(r.time for r in rig.sim.requests[answered:] if r.status == 429)
    # Several playing intervals, with controls' and popups' requests to poll at once.
    with rig.qtbot.assertNotEmitted(rig.app.hub.playback_changed, wait=1500):
        pass
    late = [f"{r.method} {r.path}" for r in rig.sim.requests if r.time > limited_at]
    assert not late, f"requests during Retry-After: {late}"
    assert rig.app.tray.tooltip().startswith("Rate-limited by Spotify — works again ")
    crash_watch.assert_clean()
