"""The tray app against the simulator: tray state, tooltip, menu, popup and controls."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QSystemTrayIcon, QToolButton
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import AppOptions, TrayApp
from nowplaying_tray.core.errors import Offline
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.tray_status import StatusKind
from nowplaying_tray.simulator import SpotifySimulator, make_ad, make_track
from tests.app.conftest import dispose
from tests.support import widgets

QUEUE = [
    make_track("Dancing Queen", ["ABBA"], "Arrival", 200_000),
    make_track("Take On Me", ["a-ha"], "Hunting High and Low", 200_000),
    make_track("<b>Bold</b> & <img src=x>", ["Markup"], "Tags", 200_000),
]


def poll_and_wait(qtbot: QtBot, app: TrayApp) -> Playback:
    with qtbot.waitSignal(app.hub.playback_changed, timeout=5000) as signal:
        app.poller.poll_now("test")
    return signal.args[0]


def trigger(app: TrayApp, key: str, text: str | None = None) -> None:
    action = widgets.menu_entry(app.tray.menu, key, text)  # current before it opens
    assert action.isEnabled(), f"menu entry {key!r} is disabled"
    action.trigger()


def test_tooltip_follows_the_track(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.player.set_queue(QUEUE)
    poll_and_wait(qtbot, started_app)
    assert started_app.tray.tooltip() == "Dancing Queen — ABBA\nArrival"
    assert started_app.tray.status and started_app.tray.status.kind is StatusKind.PLAYING
    sim.player.skip_next()  # from another device
    poll_and_wait(qtbot, started_app)
    assert started_app.tray.tooltip() == "Take On Me — a-ha\nHunting High and Low"


def test_pause_shows_paused(qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator) -> None:
    sim.player.set_queue(QUEUE)
    sim.player.pause()
    poll_and_wait(qtbot, started_app)
    assert started_app.tray.tooltip().startswith("Paused: Dancing Queen — ABBA")
    assert started_app.tray.status and started_app.tray.status.kind is StatusKind.PAUSED


def test_nothing_playing(qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator) -> None:
    sim.player.set_idle()
    poll_and_wait(qtbot, started_app)
    assert started_app.tray.tooltip() == "Nothing playing"
    assert widgets.text(started_app.popup, "title") == "Nothing playing"


def test_menu_is_built_from_state(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.player.set_queue(QUEUE)
    poll_and_wait(qtbot, started_app)
    texts = [
        a.text() for a in started_app.tray.menu.actions() if a.isVisible() and not a.isSeparator()
    ]
    assert texts == [
        "Dancing Queen — ABBA", "Pause", "Next", "Previous", "Save to Your Library",
        "Open in Spotify", "Copy link", "Recently played", "Refresh", "Notifications", "Log out",
        "Settings…", "Open log folder", "Quit",
    ]  # fmt: skip
    assert not started_app.tray.menu.actions()[0].isEnabled()  # the header


def test_menu_controls_drive_spotify(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.player.set_queue(QUEUE)
    poll_and_wait(qtbot, started_app)
    with qtbot.waitSignal(started_app.hub.playback_changed, timeout=5000):
        trigger(started_app, "next")
    qtbot.waitUntil(lambda: started_app.tray.tooltip().startswith("Take On Me"))
    with qtbot.waitSignal(started_app.hub.playback_changed, timeout=5000):
        trigger(started_app, "play_pause", "Pause")
    qtbot.waitUntil(lambda: started_app.tray.tooltip().startswith("Paused"))
    assert not sim.player.is_playing
    with qtbot.waitSignal(started_app.hub.playback_changed, timeout=5000):
        trigger(started_app, "play_pause", "Play")
    assert sim.player.is_playing
    with qtbot.waitSignal(started_app.hub.playback_changed, timeout=5000):
        trigger(started_app, "previous")
    qtbot.waitUntil(lambda: started_app.tray.tooltip().startswith(("Dancing", "Take On")))


def test_save_to_library(qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator) -> None:
    sim.player.set_queue(QUEUE)
    playback = poll_and_wait(qtbot, started_app)
    with qtbot.waitSignal(
        started_app.controls.saved_changed, timeout=5000, check_params_cb=lambda saved: saved
    ):
        trigger(started_app, "save", "Save to Your Library")
    assert started_app.controls.saved_state(playback.uri) is True
    assert started_app.access.gateway.is_saved(playback.uri or "")
    assert widgets.menu_entry(started_app.tray.menu, "save", "Remove from Your Library")


def test_copy_link(qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator) -> None:
    sim.player.set_queue(QUEUE)
    playback = poll_and_wait(qtbot, started_app)
    trigger(started_app, "copy_link")
    assert QGuiApplication.clipboard().text() == playback.url


def test_refresh_polls_at_once(qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator) -> None:
    sim.clear_log()
    with qtbot.waitSignal(started_app.hub.playback_changed, timeout=5000):
        trigger(started_app, "refresh")
    assert sim.count("/v1/me/player") == 1


def test_notifications_toggle(started_app: TrayApp) -> None:
    trigger(started_app, "notifications")
    assert not started_app.announcer.rules.enabled
    trigger(started_app, "notifications")
    assert started_app.announcer.rules.enabled


def test_popup_shows_the_track_as_plain_text(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.player.set_queue(QUEUE, start_index=2)
    poll_and_wait(qtbot, started_app)
    started_app.tray.activated.emit()  # a left click
    assert started_app.popup.isVisible()
    assert widgets.text(started_app.popup, "title") == "<b>Bold</b> & <img src=x>"
    assert widgets.text(started_app.popup, "artist") == "Markup"
    assert widgets.text(started_app.popup, "device")
    started_app.tray.activated.emit()
    assert not started_app.popup.isVisible()


def test_popup_buttons_control_playback(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.player.set_queue(QUEUE)
    poll_and_wait(qtbot, started_app)
    started_app.presenter.show_popup()
    with qtbot.waitSignal(started_app.hub.playback_changed, timeout=5000):
        widgets.button(started_app.popup, "next").click()
    qtbot.waitUntil(lambda: widgets.text(started_app.popup, "title") == "Take On Me")


def test_ads_disable_skipping(qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator) -> None:
    sim.player.set_queue([make_ad(30_000), *QUEUE])
    poll_and_wait(qtbot, started_app)
    buttons = widgets.buttons(started_app.popup)
    assert not buttons["next"].isEnabled() and not buttons["save"].isEnabled()


def test_premium_required_is_an_inline_message(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.set_premium(False)
    started_app.presenter.show_popup()
    with qtbot.waitSignal(started_app.controls.message, timeout=5000):
        widgets.button(started_app.popup, "next").click()
    assert "Premium" in widgets.message(started_app.popup)
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.isModal()]


def test_revoked_login_goes_straight_to_a_new_login(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.revoke_refresh_tokens()
    sim.expire_access_tokens()
    with qtbot.waitSignal(started_app.poller.stopped, timeout=5000):
        started_app.poller.poll_now("test")
    assert started_app.account.logging_in  # the browser opened for it at once
    with qtbot.waitSignal(started_app.account.logged_in, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: started_app.poller.running, timeout=5000)
    started_app.tray.menu.aboutToShow.emit()
    assert widgets.menu_entry(started_app.tray.menu, "logout")


def test_rate_limit_in_tooltip(qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator) -> None:
    sim.fail_next("rate_limit", retry_after=60, path="/v1/me/player")
    with qtbot.waitSignal(started_app.hub.error_changed, timeout=5000):
        started_app.poller.poll_now("test")
    tooltip = started_app.tray.tooltip()
    assert tooltip.startswith("Rate-limited by Spotify — retrying in 6")
    assert tooltip.endswith(" s")


def test_a_spent_quota_says_when_it_works_again(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.set_daily_quota(0, lockout_s=49_000)
    with qtbot.waitSignal(started_app.hub.error_changed, timeout=5000):
        started_app.poller.poll_now("test")
    expected = "Spotify's quota for this app is used up — works again tomorrow at "
    tooltip = started_app.tray.tooltip()
    assert tooltip.startswith(expected.replace("tomorrow ", "")) or tooltip.startswith(expected)
    assert tooltip.endswith(("(in 13 h 37 min)", "(in 13 h 36 min)"))
    started_app.presenter.show_popup()
    assert widgets.text(started_app.popup, "status") == tooltip
    assert started_app.poller.retry_in_s() > 48_000  # type: ignore[operator]


def test_spotify_down_in_tooltip_then_recovery(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.fail_next("server_error", status=503, path="/v1/me/player")
    with qtbot.waitSignal(started_app.hub.error_changed, timeout=5000):
        started_app.poller.poll_now("test")
    assert started_app.tray.tooltip().startswith("Spotify unreachable — retrying in ")
    with qtbot.waitSignal(started_app.hub.error_changed, timeout=5000):
        started_app.poller.poll_now("network back")
    assert started_app.tray.status and started_app.tray.status.kind is StatusKind.PLAYING


def test_the_network_is_watched_once_spotify_is_unreachable(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    # Qt's network backend costs memory; it is loaded only when it can help.
    assert not started_app.wake.watching_network
    sim.fail_next("server_error", status=503, path="/v1/me/player")
    with qtbot.waitSignal(started_app.hub.error_changed, timeout=5000):
        started_app.poller.poll_now("test")
    assert not started_app.wake.watching_network  # Spotify answered: the network is fine
    sim.fail_next("drop", path="/v1/me/player")
    with qtbot.waitSignal(
        started_app.hub.error_changed,
        timeout=5000,
        check_params_cb=lambda error: isinstance(error, Offline),
    ):
        started_app.poller.poll_now("test")
    assert started_app.wake.watching_network


def test_login_from_the_menu(qtbot: QtBot, logged_out_app: TrayApp) -> None:
    assert logged_out_app.tray.tooltip() == "Not logged in — click to log in"
    with qtbot.waitSignal(logged_out_app.hub.playback_changed, timeout=10_000):
        trigger(logged_out_app, "login")
    assert logged_out_app.tray.status and logged_out_app.tray.status.kind is StatusKind.PLAYING


def test_logout_from_the_menu_asks_first(qtbot: QtBot, started_app: TrayApp) -> None:
    trigger(started_app, "logout")
    box = started_app.tray.tray_menu.confirmation()
    assert box is not None and box.isVisible()
    with qtbot.assertNotEmitted(started_app.tray.logout_requested):
        box.button(QMessageBox.StandardButton.Cancel).click()
    assert started_app.access.store.has_token()
    trigger(started_app, "logout")
    box = started_app.tray.tray_menu.confirmation()
    assert box is not None
    yes = box.findChild(QPushButton, "logout-confirm-yes")
    with qtbot.waitSignal(started_app.account.logged_out, timeout=5000):
        yes.click()
    assert started_app.tray.tooltip() == "Not logged in — click to log in"
    assert not started_app.access.store.has_token()


def test_gui_stays_responsive_while_spotify_is_slow(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.fail_next("slow", delay=5.0, times=None)
    started_app.poller.poll_now("test")
    qtbot.waitUntil(lambda: started_app.runner.pending > 0)
    started_app.presenter.show_popup()  # opens at once, with what we know
    assert started_app.popup.isVisible()
    started_app.tray.menu.aboutToShow.emit()  # the menu builds at once too
    assert widgets.menu_entry(started_app.tray.menu, "quit")
    sim.clear_faults()


def test_without_a_tray_the_popup_becomes_a_window(
    qtbot: QtBot, logged_in: Settings, app_paths: AppPaths, memory_keyring: MemoryKeyring
) -> None:
    app = TrayApp(
        logged_in,
        app_paths,
        AppOptions(
            keyring_backend=memory_keyring,
            use_dbus_notifications=False,
            tray_wait_attempts=1,  # offscreen has no tray: give up at once
        ),
    )
    try:
        with qtbot.waitSignal(app.tray.unavailable):
            app.start()
        qtbot.waitUntil(app.popup.isVisible, timeout=5000)
        assert app.popup.standalone
        area = QGuiApplication.primaryScreen().availableGeometry()
        assert area.contains(app.popup.frameGeometry())  # fully on screen
        QTest.keyClick(app.popup, Qt.Key.Key_Escape)
        assert app.popup.isVisible()  # a window to live in, not a popup to dismiss
        menu_button = app.popup.findChild(QToolButton, "menu")
        assert menu_button is not None and menu_button.isVisible()
        assert menu_button.menu() is app.tray.menu  # Settings, Log in/out, Quit
        # Moved, it is kept where it was left, for the next start.
        app.popup.move(area.topLeft() + QPoint(40, 50))
        saved = app_paths.state_dir / "window.json"
        qtbot.waitUntil(lambda: saved.exists() and '"x": 40' in saved.read_text(), timeout=5000)
    finally:
        QApplication.instance().setQuitOnLastWindowClosed(False)  # type: ignore[union-attr]
        dispose(app)


def test_the_request_count_is_kept_across_a_restart(
    qtbot: QtBot, logged_in: Settings, app_paths: AppPaths, memory_keyring: MemoryKeyring
) -> None:
    from nowplaying_tray.core.budget import RequestBudget, budget_file
    from tests.app.conftest import make_app

    app = make_app(logged_in, app_paths, memory_keyring)
    with qtbot.waitSignal(app.hub.playback_changed, timeout=5000):
        app.start()
    for _ in range(3):  # more than the first request, which is saved at once
        poll_and_wait(qtbot, app)
    spent = app.budget.view().spent
    dispose(app)  # saves the rest on the worker, as its last job
    again = RequestBudget(path=budget_file(app_paths.state_dir))
    again.load()
    assert again.view().spent == spent >= 4


def test_menu_is_current_before_it_opens(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    # A D-Bus tray host lays the menu out from what was exported before the click.
    sim.player.set_queue([make_track("The Boxer", ["Simon & Garfunkel"], "Bridge", 200_000)])
    poll_and_wait(qtbot, started_app)
    actions = started_app.tray.menu.actions()
    header = actions[0]
    assert header.text() == "The Boxer — Simon && Garfunkel"  # "&&" shows one "&"
    settings = widgets.menu_entry(started_app.tray.menu, "settings")
    sim.player.set_queue(QUEUE)
    poll_and_wait(qtbot, started_app)
    assert started_app.tray.menu.actions() == actions  # the same entries, in place
    assert header.text() == "Dancing Queen — ABBA"
    assert widgets.menu_entry(started_app.tray.menu, "settings") is settings


def test_a_quiet_login_posts_no_logged_in_message(qtbot: QtBot, logged_out_app: TrayApp) -> None:
    # The demo logs in at every start; "Logged in" each time would be noise.
    with (
        qtbot.assertNotEmitted(logged_out_app.session.message),
        qtbot.waitSignal(logged_out_app.hub.playback_changed, timeout=10_000),
    ):
        logged_out_app.session.login_quietly()
    assert logged_out_app.session.is_logged_in
    messages: list[tuple[str, str]] = []
    logged_out_app.session.message.connect(lambda *args: messages.append(args))
    with qtbot.waitSignal(logged_out_app.account.logged_in, timeout=10_000):
        logged_out_app.account.login()  # asked for: announced
    assert messages and messages[-1][1].startswith("Logged in as")


@pytest.mark.parametrize("kept", [(60, 70), (99_999, 70)], ids=["on-screen", "screen-gone"])
def test_the_no_tray_window_opens_where_it_was_left(
    qtbot: QtBot,
    logged_in: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
    kept: tuple[int, int],
) -> None:
    app_paths.state_dir.mkdir(parents=True, exist_ok=True)
    (app_paths.state_dir / "window.json").write_text(f'{{"x": {kept[0]}, "y": {kept[1]}}}')
    with started_without_tray(logged_in, app_paths, memory_keyring, wait_attempts=1) as app:
        qtbot.waitUntil(app.popup.isVisible, timeout=5000)
        area = QGuiApplication.primaryScreen().availableGeometry()
        frame = app.popup.frameGeometry()
        assert area.contains(frame)
        if kept[0] < area.width():
            assert (frame.x(), frame.y()) == kept
        else:  # that screen is gone: centred instead, never off screen
            assert abs(frame.center().x() - area.center().x()) <= 2


@contextlib.contextmanager
def started_without_tray(
    settings: Settings, paths: AppPaths, keyring: MemoryKeyring, wait_attempts: int
) -> Iterator[TrayApp]:
    """An app whose tray never appears: after ``wait_attempts`` looks it opens its window."""
    app = TrayApp(
        settings,
        paths,
        AppOptions(
            keyring_backend=keyring, use_dbus_notifications=False, tray_wait_attempts=wait_attempts
        ),
    )
    try:
        app.start()
        yield app
    finally:
        QApplication.instance().setQuitOnLastWindowClosed(False)  # type: ignore[union-attr]
        dispose(app)


def test_a_popup_opened_without_a_click_goes_where_the_icon_was_clicked(
    qtbot: QtBot, started_app: TrayApp
) -> None:
    qtbot.waitUntil(lambda: started_app.hub.playback is not None, timeout=5000)
    popup = started_app.popup
    QCursor.setPos(QPoint(60, 8))  # an icon in a panel at the top-left
    icon = started_app.tray.findChild(QSystemTrayIcon, "tray-icon")
    assert icon is not None
    icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)  # what a left click sends
    qtbot.waitUntil(popup.isVisible)
    by_the_icon = popup.geometry()
    assert by_the_icon.top() < 100 and by_the_icon.left() < 200, by_the_icon
    popup.hide()

    started_app.show_on_request()  # a second start of the app: no click, no pointer
    qtbot.waitUntil(popup.isVisible)
    assert popup.geometry() == by_the_icon


def test_the_card_decodes_the_cover_when_opened_at_the_size_it_draws(
    qtbot: QtBot, started_app: TrayApp
) -> None:
    from nowplaying_tray.ui.presenter import POPUP_ART_SIZE, art_pixels

    playback = started_app.hub.playback
    assert playback is not None
    url = playback.art_url(POPUP_ART_SIZE)
    assert url is not None
    started_app.presenter.show_popup()
    qtbot.waitUntil(lambda: widgets.has_cover(started_app.popup), timeout=5000)
    image = started_app.artwork.image(url, art_pixels())
    assert image is not None
    assert min(image.width(), image.height()) == art_pixels() < POPUP_ART_SIZE  # not 300 px
    started_app.popup.hide()


def test_the_no_tray_window_shows_the_cover_of_what_was_already_playing(
    qtbot: QtBot, logged_in: Settings, app_paths: AppPaths, memory_keyring: MemoryKeyring
) -> None:
    with started_without_tray(logged_in, app_paths, memory_keyring, wait_attempts=10_000) as app:
        qtbot.waitUntil(lambda: app.hub.playback is not None, timeout=5000)
        app.no_tray.open()  # the tray gave up after the first playback was in
        qtbot.waitUntil(app.popup.isVisible, timeout=5000)
        qtbot.waitUntil(lambda: widgets.has_cover(app.popup), timeout=5000)
