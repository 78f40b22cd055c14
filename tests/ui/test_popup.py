"""The popup card: contents, plain text, progress ticking, controls, hiding, placement."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPixmap, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel

from nowplaying_tray.core.model import ItemKind, Playback, PlaybackState, parse_playback
from nowplaying_tray.ui import icons
from nowplaying_tray.ui.popup.content import NOTHING_PLAYING, NOTHING_PLAYING_HINT, plain_tooltip
from nowplaying_tray.ui.popup.labels import ElidedLabel, TwoLineLabel
from nowplaying_tray.ui.popup.placement import SCREEN_MARGIN, popup_position
from nowplaying_tray.ui.popup.window import NO_TIME, TICKER_NAME, PopupWindow
from tests.support import widgets
from tests.support.clock import FakeClock

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "spotify"
SPOTIFY_LABELS = ("title", "artist", "album", "device")


@pytest.fixture
def popup(qtbot, clock) -> PopupWindow:
    window = PopupWindow(clock=clock)
    qtbot.addWidget(window)
    return window


def fixture_playback(name: str, clock: FakeClock) -> Playback:
    return parse_playback((FIXTURES / f"{name}.json").read_bytes(), clock.now)


def track(clock: FakeClock, **changes) -> Playback:
    values = {
        "state": PlaybackState.PLAYING,
        "read_at": clock.now,
        "kind": ItemKind.TRACK,
        "title": "Dancing Queen",
        "artists": ("ABBA",),
        "album": "Arrival",
        "duration_ms": 230_400,
        "progress_ms": 78_810,
        "url": "https://open.spotify.com/track/01iyCAUm8EvOFqVWYJ3dVX",
        "uri": "spotify:track:01iyCAUm8EvOFqVWYJ3dVX",
        "device": "Kitchen speaker",
    }
    values.update(changes)
    return Playback(**values)


def cover(color: str = "#E2556B") -> QPixmap:
    pixmap = QPixmap(300, 200)
    pixmap.fill(QColor(color))
    return pixmap


def enabled(popup: PopupWindow) -> dict[str, bool]:
    return {key: button.isEnabled() for key, button in widgets.buttons(popup).items()}


def show(qtbot, popup: PopupWindow) -> None:
    popup.show_near(None)
    qtbot.waitExposed(popup)


# -- contents -----------------------------------------------------------------------


def test_track_fixture_fills_the_card(popup, clock):
    popup.show_playback(fixture_playback("track", clock))
    assert widgets.text(popup, "title") == "Dancing Queen"
    assert widgets.text(popup, "artist") == "ABBA"
    assert widgets.text(popup, "album") == "Arrival"
    assert widgets.text(popup, "device") == ""
    assert widgets.progress_text(popup) == "1:18 / 3:50"
    assert widgets.progress_line(popup).value() == 78_810


def test_artists_and_device_are_shown(popup, clock):
    popup.show_playback(track(clock, artists=("Daft Punk", "Pharrell Williams")))
    assert widgets.text(popup, "artist") == "Daft Punk, Pharrell Williams"
    assert widgets.text(popup, "device") == "Kitchen speaker"


def test_episode_shows_the_show_name(popup, clock):
    popup.show_playback(fixture_playback("episode", clock))
    assert widgets.text(popup, "title") == "The Giant Beastcast: Episode 0"
    assert widgets.text(popup, "album") == "The Giant Beastcast"
    assert widgets.text(popup, "artist") == "Giant Bomb"
    assert widgets.progress_text(popup) == "1:00:36 / 2:14:12"


def test_ad_shows_advertisement_with_placeholder_art(popup, clock):
    popup.show_playback(fixture_playback("ad", clock))
    popup.show_art(cover())
    popup.show_saved(False)
    assert widgets.text(popup, "title") == "Advertisement"
    assert widgets.text(popup, "artist") == ""
    assert not widgets.has_cover(popup)
    assert enabled(popup) == {
        "previous": False,
        "play_pause": True,  # pausing an ad is allowed
        "next": False,
        "save": False,
        "open": False,
    }
    assert widgets.progress_text(popup) == f"0:14 / {NO_TIME}"


def test_local_file_shows_placeholder_art_and_cannot_be_saved(popup, clock):
    popup.show_playback(fixture_playback("local", clock))
    popup.show_art(cover())
    popup.show_saved(False)
    assert widgets.text(popup, "title") == "929"
    assert not widgets.has_cover(popup)
    assert not widgets.button(popup, "save").isEnabled()
    assert not widgets.button(popup, "open").isEnabled()


@pytest.mark.parametrize("idle", [None, Playback.idle(0.0)])
def test_idle_shows_nothing_playing_with_controls_disabled(popup, clock, idle):
    popup.show_playback(track(clock))
    popup.show_art(cover())
    popup.show_playback(idle)
    assert widgets.text(popup, "title") == NOTHING_PLAYING
    assert widgets.text(popup, "artist") == NOTHING_PLAYING_HINT
    assert widgets.text(popup, "album") == ""
    assert widgets.text(popup, "device") == ""
    assert widgets.progress_text(popup) == f"{NO_TIME} / {NO_TIME}"
    assert widgets.progress_line(popup).value() == 0
    assert not widgets.has_cover(popup)
    assert not any(enabled(popup).values())


def test_art_is_shown_and_cleared(popup, clock):
    popup.show_playback(track(clock))
    popup.show_art(cover())
    assert widgets.has_cover(popup)
    popup.show_art(None)
    assert not widgets.has_cover(popup)
    popup.show_art(QPixmap())  # a failed download is a null pixmap
    assert not widgets.has_cover(popup)


def test_new_item_resets_saved_but_a_pause_keeps_it(popup, clock):
    playing = track(clock)
    popup.show_playback(playing)
    popup.show_saved(True)
    popup.show_playback(dataclasses.replace(playing, state=PlaybackState.PAUSED))
    assert widgets.button(popup, "save").accessibleName() == "Remove from Your Library"

    popup.show_playback(track(clock, uri="spotify:track:other", title="Other"))
    assert not widgets.button(popup, "save").isEnabled()  # unknown until show_saved


def test_cover_is_kept_for_the_next_item_of_the_same_album(popup, clock):
    popup.show_playback(track(clock))
    popup.show_art(cover())
    popup.show_playback(track(clock, uri="spotify:track:next", title="Next on the album"))
    assert widgets.has_cover(popup)


def test_cover_returns_after_an_ad(popup, clock):
    popup.show_playback(track(clock))
    popup.show_art(cover())
    popup.show_playback(fixture_playback("ad", clock))
    assert not widgets.has_cover(popup)
    popup.show_playback(track(clock))
    assert widgets.has_cover(popup)


# -- plain text and eliding -----------------------------------------------------------


def test_spotify_text_is_plain_text(qtbot, popup, clock):
    popup.show_playback(
        track(clock, title="<b>x</b>", artists=("<img src=x>",), album="<i>a</i>", device="<u>d")
    )
    show(qtbot, popup)
    assert widgets.text(popup, "title") == "<b>x</b>"
    assert widgets.text(popup, "artist") == "<img src=x>"
    for name in SPOTIFY_LABELS:
        label = popup.findChild(QLabel, name)
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert popup.findChild(QLabel, "title").text() == "<b>x</b>"


def test_messages_are_plain_text(popup):
    popup.show_message("<b>careful</b>")
    popup.show_status("<i>status</i>")
    assert widgets.message(popup) == "<b>careful</b>"
    assert widgets.text(popup, "status") == "<i>status</i>"
    assert popup.findChild(QLabel, "messageText").textFormat() == Qt.TextFormat.PlainText
    assert popup.findChild(QLabel, "status").textFormat() == Qt.TextFormat.PlainText


def test_tooltips_show_markup_literally():
    document = QTextDocument()
    document.setHtml(plain_tooltip("<b>x</b> & <img src=y>"))
    assert document.toPlainText() == "<b>x</b> & <img src=y>"
    assert plain_tooltip("") == ""


def test_text_is_kept_on_one_line(popup, clock):
    popup.show_playback(track(clock, title="Line one\nline two\t tab"))
    assert widgets.text(popup, "title") == "Line one line two tab"


def test_long_title_wraps_to_two_lines_then_elides(qtbot, popup, clock):
    popup.show_playback(track(clock))
    show(qtbot, popup)
    one_line_height = popup.height()
    long_title = "A very long title " * 12
    popup.show_playback(track(clock, title=long_title.strip()))
    label = popup.findChild(QLabel, "title")
    lines = label.text().split("\n")
    assert len(lines) == 2 and widgets.find(popup, TwoLineLabel, "title").line_count() == 2
    assert lines[0].startswith("A very long title") and lines[1].endswith("…")
    assert all(label.fontMetrics().horizontalAdvance(line) <= label.width() for line in lines)
    # The card makes room: both lines show, above the artist, inside the card.
    qtbot.waitUntil(lambda: label.height() >= 2 * label.fontMetrics().lineSpacing())
    assert popup.height() >= one_line_height
    assert label.geometry().bottom() < popup.findChild(QLabel, "artist").geometry().top()
    assert widgets.text(popup, "title") == long_title.strip()
    document = QTextDocument()
    document.setHtml(label.toolTip())
    assert document.toPlainText() == long_title.strip()


def test_a_title_a_little_too_long_wraps_whole(qtbot, popup, clock):
    popup.show_playback(track(clock, title="Bridge over Troubled Water (Live)"))
    show(qtbot, popup)
    label = popup.findChild(QLabel, "title")
    assert "…" not in label.text() and label.text().count("\n") == 1
    assert label.text().replace("\n", " ") == "Bridge over Troubled Water (Live)"
    assert label.toolTip() == ""  # nothing hidden


def test_each_line_takes_its_own_direction(qtbot, popup, clock):
    popup.show_playback(
        track(clock, title="أغنية الليل", artists=("Fairuz", "فيروز"), album="Album")
    )
    show(qtbot, popup)
    title = popup.findChild(QLabel, "title")
    album = popup.findChild(QLabel, "album")
    assert title.layoutDirection() is Qt.LayoutDirection.RightToLeft
    assert album.layoutDirection() is Qt.LayoutDirection.LeftToRight
    # Mixed directions in one line: each name isolated, so the list keeps its order.
    assert widgets.text(popup, "artist") == "\u2068Fairuz\u2069, \u2068فيروز\u2069"


def test_short_title_has_no_tooltip(qtbot, popup, clock):
    popup.show_playback(track(clock))
    show(qtbot, popup)
    label = popup.findChild(QLabel, "title")
    assert label.text() == "Dancing Queen"
    assert label.toolTip() == ""


def test_elided_label_re_elides_on_resize(qtbot):
    label = ElidedLabel("title")
    qtbot.addWidget(label)
    label.show()  # Qt delivers resize events to hidden widgets only when shown
    label.set_full_text("千と千尋の神隠し サウンドトラック — あの夏へ")
    label.resize(60, 20)
    assert label.text().endswith("…")
    label.resize(2000, 20)
    assert label.text() == "千と千尋の神隠し サウンドトラック — あの夏へ"


@pytest.mark.parametrize(
    "text",
    ["فيروز — أغنية طويلة جداً عن البحر والقمر والليل", "שירים מהמאה הקודמת אוסף מיוחד"],
)
def test_right_to_left_text_is_kept_and_elided(qtbot, text):
    label = ElidedLabel("artist")
    qtbot.addWidget(label)
    label.show()
    label.set_full_text(text)
    label.resize(2000, 20)
    assert label.text() == text
    label.resize(80, 20)
    assert label.text() != text
    assert "…" in label.text()
    assert label.full_text() == text


# -- progress -------------------------------------------------------------------------


def test_progress_is_extrapolated_by_the_ticker(qtbot, popup, clock):
    popup.show_playback(track(clock, progress_ms=10_000, duration_ms=200_000))
    show(qtbot, popup)
    assert widgets.progress_text(popup) == "0:10 / 3:20"
    ticker = widgets.ticker(popup)
    assert ticker.objectName() == TICKER_NAME
    assert ticker.isActive()
    assert ticker.interval() == 1000

    clock.now += 5.5
    ticker.timeout.emit()
    assert widgets.progress_text(popup) == "0:15 / 3:20"
    assert widgets.progress_line(popup).value() == 15_500


def test_paused_progress_does_not_move_and_no_ticker_runs(qtbot, popup, clock):
    popup.show_playback(track(clock, state=PlaybackState.PAUSED, progress_ms=62_000))
    show(qtbot, popup)
    assert not widgets.ticker(popup).isActive()
    clock.now += 30
    widgets.ticker(popup).timeout.emit()
    assert widgets.progress_text(popup) == "1:02 / 3:50"


def test_progress_stops_at_the_end(qtbot, popup, clock):
    popup.show_playback(track(clock, progress_ms=229_000, duration_ms=230_400))
    show(qtbot, popup)
    clock.now += 10
    widgets.ticker(popup).timeout.emit()
    assert widgets.progress_text(popup) == "3:50 / 3:50"
    assert widgets.progress_line(popup).value() == 230_400
    assert not widgets.ticker(popup).isActive()


def test_ticker_runs_only_while_visible_and_playing(qtbot, popup, clock):
    ticker = popup.findChild(type(widgets.ticker(popup)), TICKER_NAME)
    assert ticker is widgets.ticker(popup)
    popup.show_playback(track(clock))
    assert not ticker.isActive()  # not shown yet

    show(qtbot, popup)
    assert ticker.isActive()

    popup.hide()
    assert not ticker.isActive()

    popup.show_playback(track(clock, progress_ms=90_000))  # a poll while hidden
    assert not ticker.isActive()

    show(qtbot, popup)
    assert ticker.isActive()
    popup.show_playback(None)
    assert not ticker.isActive()


def test_showing_catches_up_on_time_spent_hidden(qtbot, popup, clock):
    popup.show_playback(track(clock, progress_ms=0))
    clock.now += 42
    show(qtbot, popup)
    assert widgets.progress_text(popup) == "0:42 / 3:50"


# -- controls -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "disallows", "expected"),
    [
        (PlaybackState.PLAYING, set(), dict.fromkeys(("previous", "play_pause", "next"), True)),
        (
            PlaybackState.PLAYING,
            {"skipping_prev"},
            {"previous": False, "play_pause": True, "next": True},
        ),
        (
            PlaybackState.PLAYING,
            {"skipping_next", "resuming"},
            {"previous": True, "play_pause": True, "next": False},
        ),
        (
            PlaybackState.PLAYING,
            {"pausing"},
            {"previous": True, "play_pause": False, "next": True},
        ),
        (
            PlaybackState.PAUSED,
            {"pausing"},
            {"previous": True, "play_pause": True, "next": True},
        ),
        (
            PlaybackState.PAUSED,
            {"resuming"},
            {"previous": True, "play_pause": False, "next": True},
        ),
    ],
)
def test_disallowed_actions_disable_buttons(popup, clock, state, disallows, expected):
    popup.show_playback(track(clock, state=state, disallows=frozenset(disallows)))
    buttons = widgets.buttons(popup)
    assert {key: buttons[key].isEnabled() for key in expected} == expected


def test_save_and_open_availability(popup, clock):
    popup.show_playback(track(clock))
    assert not widgets.button(popup, "save").isEnabled()  # saved state unknown
    popup.show_saved(False)
    assert widgets.button(popup, "save").isEnabled()
    assert widgets.button(popup, "open").isEnabled()

    popup.show_playback(track(clock, uri=None, url=None))
    popup.show_saved(False)
    assert not widgets.button(popup, "save").isEnabled()
    assert not widgets.button(popup, "open").isEnabled()


def test_heart_follows_saved_state(popup, clock):
    popup.show_playback(track(clock))
    save = widgets.button(popup, "save")
    popup.show_saved(False)
    outline = save.icon().cacheKey()
    assert save.accessibleName() == "Save to Your Library"
    popup.show_saved(True)
    assert save.accessibleName() == "Remove from Your Library"
    assert save.toolTip() == "Remove from Your Library"
    assert save.icon().cacheKey() != outline
    popup.show_saved(None)
    assert not save.isEnabled()


def test_play_pause_button_follows_the_state(popup, clock):
    button = widgets.button(popup, "play_pause")
    popup.show_playback(track(clock))
    assert button.accessibleName() == "Pause"
    assert button.toolTip() == "Pause"
    pause_icon = button.icon().cacheKey()

    popup.show_playback(track(clock, state=PlaybackState.PAUSED))
    assert button.accessibleName() == "Play"
    assert button.icon().cacheKey() != pause_icon


def test_buttons_have_accessible_names_and_tooltips(popup, clock):
    popup.show_playback(track(clock))
    popup.show_saved(False)
    buttons = widgets.buttons(popup)
    assert set(buttons) == {"previous", "play_pause", "next", "save", "open"}
    assert buttons["previous"].accessibleName() == "Previous"
    assert buttons["next"].accessibleName() == "Next"
    assert buttons["open"].accessibleName() == "Open in Spotify"
    for button in buttons.values():
        assert button.accessibleName()
        assert button.toolTip()
        assert not button.icon().isNull()


@pytest.mark.parametrize(
    ("key", "signal"),
    [
        ("previous", "previous_clicked"),
        ("play_pause", "play_pause_clicked"),
        ("next", "next_clicked"),
        ("save", "save_clicked"),
        ("open", "open_clicked"),
    ],
)
def test_clicks_emit_signals(qtbot, popup, clock, key, signal):
    popup.show_playback(track(clock))
    popup.show_saved(False)
    show(qtbot, popup)
    with qtbot.waitSignal(getattr(popup, signal), timeout=1000):
        qtbot.mouseClick(widgets.buttons(popup)[key], Qt.MouseButton.LeftButton)


def test_disabled_buttons_emit_nothing(qtbot, popup, clock):
    popup.show_playback(track(clock, disallows=frozenset({"skipping_next"})))
    show(qtbot, popup)
    with qtbot.assertNotEmitted(popup.next_clicked):
        qtbot.mouseClick(widgets.button(popup, "next"), Qt.MouseButton.LeftButton)


# -- messages ---------------------------------------------------------------------------


def settled_height(qtbot, popup: PopupWindow) -> int:
    """The card's height once the title has its real width and line count: whatever the
    fonts, the height first measured is refitted on the next turn of the event loop."""
    title = popup.findChild(QLabel, "title")
    qtbot.waitUntil(lambda: title.height() == title.sizeHint().height())
    return popup.height()


def test_message_and_status_show_and_clear(qtbot, popup, clock):
    popup.show_playback(track(clock))
    show(qtbot, popup)
    base_height = settled_height(qtbot, popup)

    popup.show_message("Spotify Premium is required to control playback.")
    popup.show_status("Rate-limited by Spotify — retrying in 30 s")
    assert widgets.message(popup) == "Spotify Premium is required to control playback."
    assert widgets.text(popup, "status") == "Rate-limited by Spotify — retrying in 30 s"
    assert popup.height() > base_height
    message = popup.findChild(QLabel, "messageText")
    assert message.isVisible()
    # The card grew enough that nothing overlaps: the message ends inside it.
    bottom = message.mapTo(popup, QPoint(0, message.height())).y()
    assert bottom <= popup.height()

    popup.show_message(None)
    popup.show_status(None)
    assert widgets.message(popup) == ""
    assert widgets.text(popup, "status") == ""
    assert not message.isVisible()
    assert settled_height(qtbot, popup) == base_height


# -- hiding -----------------------------------------------------------------------------


def test_escape_hides_and_emits_hidden(qtbot, popup, clock):
    popup.show_playback(track(clock))
    show(qtbot, popup)
    with qtbot.waitSignal(popup.hidden, timeout=1000):
        qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    assert popup.last_hidden_at() == clock.now


def test_losing_focus_hides(qtbot, popup):
    show(qtbot, popup)
    with qtbot.waitSignal(popup.hidden, timeout=1000):
        QApplication.sendEvent(popup, QEvent(QEvent.Type.WindowDeactivate))
    assert not popup.isVisible()


def test_hide_emits_hidden(qtbot, popup):
    show(qtbot, popup)
    with qtbot.waitSignal(popup.hidden, timeout=1000):
        popup.hide()


def test_window_is_a_frameless_tool_window(qtbot, popup):
    show(qtbot, popup)  # its kind is set up with the card, before the first show
    flags = popup.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint
    assert flags & Qt.WindowType.WindowStaysOnTopHint
    assert (flags & Qt.WindowType.Tool) == Qt.WindowType.Tool
    assert popup.testAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)


# -- placement --------------------------------------------------------------------------


def available() -> QRect:
    return QGuiApplication.primaryScreen().availableGeometry()


def test_show_near_without_anchor_uses_bottom_right_corner(qtbot, popup):
    show(qtbot, popup)
    area = available()
    geometry = popup.frameGeometry()
    assert geometry.right() == area.right() - SCREEN_MARGIN
    assert geometry.bottom() == area.bottom() - SCREEN_MARGIN
    assert popup.isVisible()


@pytest.mark.parametrize("corner", ["bottomRight", "topLeft", "topRight", "bottomLeft"])
def test_show_near_keeps_the_card_on_screen(qtbot, popup, corner):
    area = available()
    point = getattr(area, corner)()
    anchor = QRect(point - QPoint(11, 11), QSize(22, 22)).intersected(area)
    popup.show_near(anchor)
    qtbot.waitExposed(popup)
    assert area.contains(popup.frameGeometry())
    assert not popup.frameGeometry().intersects(anchor)


def test_popup_opens_above_a_bottom_panel_and_below_a_top_panel():
    screen = QRect(0, 0, 1920, 1080)
    size = QSize(360, 190)
    bottom_icon = QRect(1800, 1056, 24, 24)
    spot = popup_position(size, bottom_icon, screen, QRect(0, 0, 1920, 1050))
    assert spot.y() + size.height() <= bottom_icon.top()
    assert QRect(spot, size).right() < 1920

    top_icon = QRect(1700, 2, 24, 24)
    spot = popup_position(size, top_icon, screen, QRect(0, 30, 1920, 1050))
    assert spot.y() > top_icon.bottom()
    assert abs(spot.x() + size.width() // 2 - top_icon.center().x()) <= 1


def test_popup_opens_beside_a_vertical_panel():
    screen = QRect(0, 0, 1920, 1080)
    size = QSize(360, 190)
    left_icon = QRect(4, 900, 24, 24)
    spot = popup_position(size, left_icon, screen, QRect(40, 0, 1880, 1080))
    assert spot.x() > left_icon.right()
    assert QRect(spot, size).bottom() < 1080


def test_popup_stays_on_the_anchor_screen():
    # A second screen to the right of the first.
    screen = QRect(1920, 0, 1280, 1024)
    size = QSize(360, 190)
    icon = QRect(3180, 1000, 20, 20)
    spot = popup_position(size, icon, screen, screen)
    assert screen.contains(QRect(spot, size))


EDGES = {
    # edge: (the click on the panel, the available area beside the panel)
    "top": (QPoint(1500, 14), QRect(0, 30, 1920, 1050)),
    "bottom": (QPoint(1500, 1066), QRect(0, 0, 1920, 1050)),
    "left": (QPoint(14, 700), QRect(30, 0, 1890, 1080)),
    "right": (QPoint(1906, 700), QRect(0, 0, 1890, 1080)),
}


@pytest.mark.parametrize("edge", list(EDGES))
@pytest.mark.parametrize("reserved", [True, False], ids=["panel-reserved", "no-workarea"])
def test_without_icon_geometry_the_click_places_the_card(edge: str, reserved: bool) -> None:
    # StatusNotifierItem hosts give no icon geometry: the card opens at the click, on
    # the click's panel edge, whether or not the window manager reserves the panel.
    screen = QRect(0, 0, 1920, 1080)
    size = QSize(360, 190)
    pointer, area = EDGES[edge]
    card = QRect(popup_position(size, None, screen, area if reserved else screen, pointer), size)
    assert screen.contains(card)
    assert not card.contains(pointer)
    gap = {
        "top": card.top() - pointer.y(),
        "bottom": pointer.y() - card.bottom(),
        "left": card.left() - pointer.x(),
        "right": pointer.x() - card.right(),
    }[edge]
    assert 0 < gap <= 40, (edge, card, pointer)
    along = card.center().x() - pointer.x() if edge in ("top", "bottom") else 0
    assert abs(along) <= 2 or not screen.adjusted(180, 0, -180, 0).contains(pointer)


def test_the_click_on_a_second_screen_keeps_the_card_there() -> None:
    screen = QRect(1920, 0, 1280, 1024)
    card = QRect(
        popup_position(QSize(360, 190), None, screen, screen, QPoint(3190, 1010)),
        QSize(360, 190),
    )
    assert screen.contains(card)
    assert card.bottom() < 1010 and 1010 - card.bottom() <= 40


def test_show_near_uses_the_pointer_only_without_an_anchor(qtbot, popup):
    area = available()
    pointer = QPoint(area.center().x(), area.top() + 5)
    popup.show_near(None, pointer)
    qtbot.waitExposed(popup)
    assert 0 < popup.frameGeometry().top() - pointer.y() <= 40
    popup.hide()
    anchor = QRect(area.right() - 30, area.bottom() - 30, 24, 24)
    popup.show_near(anchor, pointer)  # a tray that knows its icon wins
    qtbot.waitExposed(popup)
    assert popup.frameGeometry().bottom() < anchor.top()


# -- icons used by the card ----------------------------------------------------------------


def opaque_pixels(pixmap: QPixmap) -> int:
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32)
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() > 0
    )


def test_resource_dir_is_the_package_data():
    assert (icons.resource_dir() / "icons" / "tray-playing.svg").is_file()
    assert icons.resource_dir() == Path(icons.__file__).resolve().parents[1] / "resources"


@pytest.mark.parametrize("state", list(icons.TrayIconState))
def test_tray_icons_have_every_size(qapp, state):
    icon = icons.tray_icon(state)
    sizes = {size.width() for size in icon.availableSizes()}
    assert set(icons.TRAY_SIZES) <= sizes
    assert opaque_pixels(icon.pixmap(16, 16)) > 50


def test_glyphs_are_recoloured(qapp):
    red = icons.glyph("play", QColor("#FF0000"), 24).pixmap(24, 24).toImage()
    colors = {
        red.pixelColor(x, y).name()
        for y in range(24)
        for x in range(24)
        if red.pixelColor(x, y).alpha() == 255
    }
    assert colors == {"#ff0000"}


def test_missing_resources_fall_back_to_drawn_icons(qapp, tmp_path, monkeypatch):
    monkeypatch.setattr(icons, "resource_dir", lambda: tmp_path)
    caches = [icons._svg_source, icons._glyph, icons._glyph_pixmaps, icons.placeholder_art]
    caches += [icons.tray_icon, icons.app_icon]
    for cache in caches:
        cache.cache_clear()
    try:
        for state in icons.TrayIconState:
            assert opaque_pixels(icons.tray_icon(state).pixmap(22, 22)) > 50
        assert opaque_pixels(icons.app_icon().pixmap(32, 32)) > 50
        assert opaque_pixels(icons.glyph("pause", QColor("white")).pixmap(24, 24)) > 20
        assert opaque_pixels(icons.placeholder_art(48)) == 48 * 48
    finally:
        for cache in caches:
            cache.cache_clear()


def test_card_is_built_on_first_show_with_everything_it_was_told(popup, qtbot, clock) -> None:
    # Building the card loads fonts and glyphs; a session that never opens it keeps that memory.
    popup.show_playback(track(clock))
    popup.show_saved(True)
    popup.show_status("Rate-limited by Spotify — retrying in 30 s")
    assert popup.findChildren(QLabel) == []
    popup.show_near(None)
    qtbot.waitExposed(popup)
    assert popup.findChildren(QLabel)
    assert widgets.text(popup, "title") == "Dancing Queen"
    assert widgets.text(popup, "status") == "Rate-limited by Spotify — retrying in 30 s"
    assert widgets.button(popup, "save").toolTip() == "Remove from Your Library"
    assert widgets.ticker(popup).isActive()
