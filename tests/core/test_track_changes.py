from __future__ import annotations

from nowplaying_tray.core.model import ItemKind, Playback, PlaybackState
from nowplaying_tray.core.track_changes import NotifyRules, TrackChangeDetector


def item(uri: str, state: PlaybackState = PlaybackState.PLAYING, **kw: object) -> Playback:
    fields: dict[str, object] = {"state": state, "read_at": 0.0, "title": uri, "uri": uri}
    return Playback(**(fields | kw))  # type: ignore[arg-type]


def test_only_changes_count_not_the_startup_item() -> None:
    detector = TrackChangeDetector(NotifyRules())
    assert not detector.observe(item("a"))  # already playing at start
    assert not detector.observe(item("a", progress_ms=5000))  # seek
    assert detector.observe(item("b"))


def test_startup_item_when_asked() -> None:
    assert TrackChangeDetector(NotifyRules(at_startup=True)).observe(item("a"))


def test_pause_and_resume_are_not_changes() -> None:
    detector = TrackChangeDetector(NotifyRules())
    detector.observe(item("a"))
    assert not detector.observe(item("a", PlaybackState.PAUSED))
    assert not detector.observe(item("a"))


def test_idle_then_same_item_is_not_a_change_but_new_item_is() -> None:
    detector = TrackChangeDetector(NotifyRules())
    detector.observe(item("a"))
    assert not detector.observe(Playback.idle(0.0))
    assert not detector.observe(item("a"))
    assert detector.observe(item("c"))


def test_ads_and_episodes_follow_the_settings() -> None:
    detector = TrackChangeDetector(NotifyRules(ads=False, episodes=True))
    detector.observe(item("a"))
    ad = Playback(state=PlaybackState.PLAYING, read_at=0, kind=ItemKind.AD, title="Advertisement")
    assert not detector.observe(ad)
    assert detector.observe(item("e", kind=ItemKind.EPISODE))
    quiet = TrackChangeDetector(NotifyRules(episodes=False))
    quiet.observe(item("a"))
    assert not quiet.observe(item("e", kind=ItemKind.EPISODE))


def test_disabled_notifications() -> None:
    detector = TrackChangeDetector(NotifyRules(enabled=False))
    detector.observe(item("a"))
    assert not detector.observe(item("b"))
