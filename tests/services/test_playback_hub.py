"""The playback hub: the source it shows, the costly source it rests, and no flicker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from nowplaying_tray.core.errors import MissingClientId, NowPlayingError
from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.playback_choice import SourceKind
from nowplaying_tray.services.playback.hub import GRACE_MS, PlaybackHub
from nowplaying_tray.services.playback.source import PlaybackSource


class StandInSource(PlaybackSource):
    """A source the test tells what it sees (the real ones are tested against mpv,
    the Spotify stand-in and the simulator in tests/app and tests/desktop)."""

    def __init__(self, kind: SourceKind, settled: bool = True) -> None:
        super().__init__()
        self.kind = kind
        self._playback: Playback | None = None
        self._error: NowPlayingError | None = None
        self._settled = settled
        self.needed: list[bool] = []

    @property
    def playback(self) -> Playback | None:
        return self._playback

    @property
    def error(self) -> NowPlayingError | None:
        return self._error

    @property
    def settled(self) -> bool:
        return self._settled

    def set_needed(self, needed: bool) -> None:
        if not self.needed or self.needed[-1] != needed:
            self.needed.append(needed)

    def tell(
        self,
        playback: Playback | None,
        error: NowPlayingError | None = None,
        settled: bool = True,
    ) -> None:
        self._playback, self._error, self._settled = playback, error, settled
        self.changed.emit()


def track(title: str, state: PlaybackState = PlaybackState.PLAYING) -> Playback:
    return Playback(state, 1.0, title=title)


@pytest.fixture
def sources(qtbot: QtBot) -> Iterator[tuple[StandInSource, StandInSource, PlaybackHub]]:
    local, web = StandInSource(SourceKind.LOCAL, settled=False), StandInSource(SourceKind.WEB_API)
    hub = PlaybackHub((local, web))
    for source in (local, web):
        source.changed.connect(hub.on_source_changed)
    hub.start()
    yield local, web, hub
    for item in (hub, local, web):
        item.deleteLater()


def test_the_web_api_waits_until_local_players_were_looked_at(sources) -> None:
    local, web, _hub = sources
    assert web.needed == [False]
    local.tell(None, settled=True)
    assert web.needed == [False, True]


def test_a_playing_local_player_rests_the_web_api_and_a_paused_one_does_not(sources) -> None:
    local, web, hub = sources
    local.tell(track("Here"))
    assert hub.source is SourceKind.LOCAL and hub.playback.title == "Here"
    assert web.needed[-1] is False
    local.tell(track("Here", PlaybackState.PAUSED))
    assert web.needed[-1] is True
    web.tell(track("On the phone"))
    assert hub.source is SourceKind.WEB_API and hub.playback.title == "On the phone"


def test_no_account_error_while_a_local_player_answers(qtbot: QtBot, sources) -> None:
    local, web, hub = sources
    web.tell(None, MissingClientId())
    assert isinstance(hub.error, MissingClientId)
    with qtbot.waitSignal(hub.error_changed) as cleared:
        local.tell(track("Here"))
    assert cleared.args == [None] and hub.playback.title == "Here"


def test_a_local_player_between_two_files_does_not_flicker(qtbot: QtBot, sources) -> None:
    local, _web, hub = sources
    local.tell(track("First"))
    shown: list[str | None] = []
    hub.playback_changed.connect(lambda playback: shown.append(playback.title))
    local.tell(None)  # between two files...
    local.tell(track("Second"))  # ...the next one comes within the grace period
    assert shown == ["Second"]


def test_a_local_player_that_quits_shows_nothing_after_the_grace(qtbot: QtBot, sources) -> None:
    local, _web, hub = sources
    local.tell(track("First"))
    with qtbot.waitSignal(hub.playback_changed, timeout=GRACE_MS * 5) as idle:
        local.tell(None)
    assert idle.args[0].state is PlaybackState.IDLE


def test_the_web_apis_own_nothing_playing_shows_at_once(sources) -> None:
    local, web, hub = sources
    local.tell(None)
    web.tell(track("Song"))
    web.tell(Playback.idle(2.0))
    assert hub.playback.state is PlaybackState.IDLE and hub.source is SourceKind.WEB_API


def test_nothing_is_emitted_before_any_source_knows_something(qtbot: QtBot) -> None:
    web = StandInSource(SourceKind.WEB_API)
    hub = PlaybackHub((web,))
    web.changed.connect(hub.on_source_changed)
    with qtbot.assertNotEmitted(hub.playback_changed):
        hub.start()
    assert hub.playback is None
    hub.deleteLater()
    web.deleteLater()
