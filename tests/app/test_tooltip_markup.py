"""A title that looks like HTML is shown in the tray tooltip as the text it is."""

from __future__ import annotations

from PySide6.QtGui import Qt, QTextDocument
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import TrayApp
from nowplaying_tray.simulator import SpotifySimulator, make_track
from nowplaying_tray.ui.tray_tooltip import as_plain_tooltip, qt_draws_the_tooltip

TITLE = "<img src='file:///etc/hostname'><b>Bold</b> & <i>co</i>"


def _as_qt_renders_it(tooltip: str) -> QTextDocument:
    document = QTextDocument()
    if Qt.mightBeRichText(tooltip):  # the test QToolTip applies
        document.setHtml(tooltip)
    else:
        document.setPlainText(tooltip)
    return document


def test_html_in_a_title_is_sent_to_a_dbus_tray_as_plain_text(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    # No XEmbed tray here: a StatusNotifierItem host shows the tooltip as it comes.
    sim.player.set_queue([make_track(TITLE, ["A <u>band</u>"], "Album", 200_000)])
    with qtbot.waitSignal(started_app.hub.playback_changed, timeout=5000):
        started_app.poller.poll_now("test")
    qtbot.waitUntil(lambda: "Bold" in started_app.tray.tooltip())
    assert not qt_draws_the_tooltip()
    assert started_app.tray.tooltip() == f"{TITLE} — A <u>band</u>\nAlbum"


def test_html_in_a_title_is_shown_as_text_where_qt_draws_the_tooltip() -> None:
    # An XEmbed tray: Qt's own QToolTip shows it, and would render the tags.
    tooltip = as_plain_tooltip(f"{TITLE} — A <u>band</u>\nAlbum")
    document = _as_qt_renders_it(tooltip)
    assert document.toPlainText() == f"{TITLE} — A <u>band</u>\nAlbum"
    assert "<img" not in document.toHtml()  # no image element was made
    assert "font-weight:700" not in document.toHtml()


def test_plain_titles_stay_plain(qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator) -> None:
    sim.player.set_queue([make_track("Dancing Queen", ["ABBA"], "Arrival", 200_000)])
    with qtbot.waitSignal(started_app.hub.playback_changed, timeout=5000):
        started_app.poller.poll_now("test")
    qtbot.waitUntil(lambda: started_app.tray.tooltip().startswith("Dancing"))
    assert started_app.tray.tooltip() == "Dancing Queen — ABBA\nArrival"
