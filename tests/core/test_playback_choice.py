"""The one rule for which source is shown, for the tray and for ``now``."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.playback_choice import (
    Candidate,
    SourceKind,
    choose_player,
    choose_source,
    state_rank,
)

LOCAL, WEB = SourceKind.LOCAL, SourceKind.WEB_API


def playing(title: str = "Song") -> Playback:
    return Playback(PlaybackState.PLAYING, 0.0, title=title)


def paused(title: str = "Song") -> Playback:
    return Playback(PlaybackState.PAUSED, 0.0, title=title)


def test_a_playing_source_beats_a_paused_one_whichever_it_is() -> None:
    phone = Candidate(WEB, playing("On the phone"))
    here = Candidate(LOCAL, paused("Paused here"))
    assert choose_source([here, phone]) is phone
    assert choose_source([Candidate(LOCAL, playing()), Candidate(WEB, paused())]).kind is LOCAL


def test_at_equal_state_the_local_player_wins() -> None:
    for make in (playing, paused):
        here, web = Candidate(LOCAL, make()), Candidate(WEB, make())
        assert choose_source([web, here]) is here


def test_nothing_to_show_is_no_choice() -> None:
    idle = Playback.idle(0.0)
    assert choose_source([Candidate(LOCAL, None), Candidate(WEB, idle)]) is None
    assert choose_source([]) is None


def test_a_local_player_that_plays_takes_over_from_a_paused_one() -> None:
    statuses = [("org.mpris.MediaPlayer2.mpv", "Paused"), ("org.mpris.MediaPlayer2.vlc", "Playing")]
    assert choose_player(statuses, current="org.mpris.MediaPlayer2.mpv").endswith("vlc")


def test_the_followed_player_stays_while_none_plays_better() -> None:
    both_paused = [("a", "Paused"), ("b", "Paused")]
    assert choose_player(both_paused, current="b") == "b"
    assert choose_player(both_paused) == "a"  # none followed yet: the first by name
    both_playing = [("a", "Playing"), ("b", "Playing")]
    assert choose_player(both_playing, current="b") == "b"  # no flapping


def test_stopped_players_are_not_followed() -> None:
    assert choose_player([("a", "Stopped"), ("b", "")]) is None


states = st.sampled_from([PlaybackState.PLAYING, PlaybackState.PAUSED, PlaybackState.IDLE, None])
candidates = st.lists(
    st.builds(
        Candidate,
        st.sampled_from([LOCAL, WEB]),
        states.map(lambda s: None if s is None else Playback(s, 0.0, title="x")),
    ),
    max_size=4,
)


@given(candidates)
def test_the_choice_is_never_beaten_by_another(options: list[Candidate]) -> None:
    chosen = choose_source(options)
    if chosen is None:
        assert all(state_rank(c.playback.state if c.playback else None) == 2 for c in options)
        return
    rank = state_rank(chosen.playback.state if chosen.playback else None)
    for other in options:
        assert rank <= state_rank(other.playback.state if other.playback else None)


@given(st.lists(st.tuples(st.text(max_size=3), st.sampled_from(["Playing", "Paused", "Stopped"]))))
def test_a_player_is_chosen_exactly_when_one_plays_or_is_paused(
    statuses: list[tuple[str, str]],
) -> None:
    chosen = choose_player(statuses)
    active = [name for name, status in statuses if status in ("Playing", "Paused")]
    assert (chosen is None) == (not active)
    playing_names = {name for name, status in statuses if status == "Playing"}
    if playing_names:
        assert chosen in playing_names
