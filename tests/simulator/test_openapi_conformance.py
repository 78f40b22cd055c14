"""The simulator's answers, recorded over HTTP, against Spotify's OpenAPI spec.

The spec (an extract, tests/fixtures/openapi/spotify-web-api.yml) is what Spotify
documents; its known errata (spotify-web-api.errata.yml beside it) are what Spotify
really sends that the spec gets wrong. Every answer must fit the spec with the errata
applied, and every erratum that relaxes the spec must still be needed by some answer.
So the simulator cannot drift from the documented shapes, and the errata cannot go stale.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from jsonschema.exceptions import best_match
from openapi_schema_validator import OAS30ReadValidator

from nowplaying_tray.simulator import (
    SpotifySimulator,
    make_ad,
    make_context,
    make_episode,
    make_local_track,
    make_track,
    without_image_sizes,
)

from .conftest import login

SPEC_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "openapi"
TRACK = make_track("Song A", ["Artist A", "Guest"], "Album A", 200_000)
TRACK_2 = make_track("Song B", ["Artist B"], "Album B", 200_000)
EPISODE = make_episode("Ep 1", "Show X", 400_000)
AD = make_ad(30_000)
LOCAL = make_local_track("Demo", "Band", "Tapes", 100_000)
EVERY = {"additional_types": "track,episode"}
URIS = ",".join(f"spotify:track:{index:022d}" for index in range(41))


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((SPEC_DIR / name).read_text(encoding="utf-8"))


@dataclasses.dataclass(frozen=True)
class Answer:
    name: str
    method: str
    path: str
    status: int
    content_type: str
    body: Any  # parsed JSON, or None when the body is not JSON


Send = Callable[[str, str], requests.Response]  # an authorised request: (method, path)


@dataclasses.dataclass(frozen=True)
class Scenario:
    name: str
    setup: Callable[[SpotifySimulator, Send], object]
    method: str
    path: str
    params: dict[str, str] | None = None
    response: str | None = None  # the component, where the spec's paths do not say


def _queue(*entries: dict[str, Any], playing: bool = True, **kwargs: Any) -> Callable:
    return lambda sim, send: sim.player.set_queue(list(entries), playing=playing, **kwargs)


def _between(sim: SpotifySimulator, send: Send) -> None:
    sim.player.set_queue([TRACK, TRACK_2])
    sim.set_transition_reads(1)
    assert send("POST", "/me/player/next").status_code == 204


def _fault(**kwargs: Any) -> Callable:
    return lambda sim, send: sim.fail_next(**kwargs)


def _sim(call: Callable[[SpotifySimulator], object]) -> Callable:
    return lambda sim, send: call(sim)


SCENARIOS = [
    Scenario("track", _queue(TRACK, TRACK_2), "GET", "/me/player", EVERY),
    Scenario("paused track", _queue(TRACK, playing=False), "GET", "/me/player", EVERY),
    Scenario("track, short form", _queue(TRACK), "GET", "/me/player/currently-playing", EVERY),
    Scenario("episode", _queue(EPISODE), "GET", "/me/player", EVERY),
    Scenario("episode, short form", _queue(EPISODE), "GET", "/me/player/currently-playing", EVERY),
    Scenario("advert", _queue(AD, TRACK), "GET", "/me/player", EVERY),
    Scenario("advert, short form", _queue(AD, TRACK), "GET", "/me/player/currently-playing"),
    Scenario("local file", _queue(LOCAL), "GET", "/me/player", EVERY),
    Scenario("unsized images", _queue(without_image_sizes(TRACK)), "GET", "/me/player"),
    Scenario(
        "from a playlist",
        _queue(TRACK, context=make_context("playlist", "Mix")),
        "GET",
        "/me/player",
    ),
    Scenario("between items", _between, "GET", "/me/player", EVERY),
    Scenario("between items, short form", _between, "GET", "/me/player/currently-playing"),
    Scenario("nothing playing", _sim(lambda sim: sim.player.set_idle()), "GET", "/me/player"),
    Scenario("profile", _sim(lambda sim: None), "GET", "/me", response="OnePrivateUser"),
    Scenario(
        "library check",
        _sim(lambda sim: None),
        "GET",
        "/me/library/contains",
        {"uris": TRACK["item"]["uri"]},
    ),
    Scenario("too many URIs", _sim(lambda sim: None), "PUT", "/me/library", {"uris": URIS}),
    Scenario("expired token", _sim(lambda sim: sim.expire_access_tokens()), "GET", "/me/player"),
    Scenario("pause while paused", _queue(TRACK, playing=False), "PUT", "/me/player/pause"),
    Scenario("skip an advert", _queue(AD, TRACK), "POST", "/me/player/next"),
    Scenario(
        "free account", _sim(lambda sim: sim.set_premium(False)), "POST", "/me/player/previous"
    ),
    Scenario("no active device", _sim(lambda sim: sim.player.set_idle()), "PUT", "/me/player/play"),
    Scenario(
        "shuffle",
        _queue(TRACK, context=make_context("playlist", "Mix")),
        "PUT",
        "/me/player/shuffle",
        {"state": "true"},
    ),
    Scenario(
        "repeat",
        _queue(TRACK, context=make_context("playlist", "Mix")),
        "PUT",
        "/me/player/repeat",
        {"state": "track"},
    ),
    Scenario(
        "repeat without a context", _queue(TRACK), "PUT", "/me/player/repeat", {"state": "off"}
    ),
    Scenario("shuffle, bad state", _queue(TRACK), "PUT", "/me/player/shuffle", {"state": "yes"}),
    Scenario(
        "shuffle on a free account",
        _sim(lambda sim: sim.set_premium(False)),
        "PUT",
        "/me/player/shuffle",
        {"state": "false"},
    ),
    Scenario("rate limit", _fault(kind="rate_limit"), "GET", "/me/player"),
    Scenario("quota", _fault(kind="rate_limit", quota_exceeded=True), "GET", "/me/player"),
    Scenario(
        "bare rate limit",
        _fault(kind="rate_limit", retry_after=None, body=False),
        "GET",
        "/me/player",
    ),
    Scenario("owner without Premium", _sim(lambda sim: sim.set_owner_premium(False)), "GET", "/me"),
    Scenario(
        "not allow-listed",
        _sim(lambda sim: sim.set_allow_listed(False, wording="dashboard")),
        "GET",
        "/me/player",
    ),
]


def record(sim: SpotifySimulator, http: requests.Session) -> list[Answer]:
    """Each scenario from a fresh account and login, its answer as the client got it."""
    answers = []
    for scenario in SCENARIOS:
        sim.clear_faults()
        sim.set_transition_reads(0)
        sim.set_premium(True)
        sim.set_owner_premium(True)
        sim.set_allow_listed(True)
        headers = {"Authorization": f"Bearer {login(sim, http)['access_token']}"}

        def send(
            method: str, path: str, headers: dict[str, str] = headers, **kwargs: Any
        ) -> requests.Response:
            return http.request(method, sim.api_url + path, headers=headers, **kwargs)

        scenario.setup(sim, send)
        response = send(scenario.method, scenario.path, params=scenario.params)
        content_type = response.headers.get("Content-Type", "none").split(";")[0]
        body = json.loads(response.content) if content_type == "application/json" else None
        answers.append(
            Answer(
                scenario.name,
                scenario.method,
                scenario.path,
                response.status_code,
                content_type,
                body,
            )
        )
    return answers


@pytest.fixture(scope="module")
def answers() -> list[Answer]:
    with SpotifySimulator() as sim, requests.Session() as http:
        return record(sim, http)


# -- the spec with its errata applied ------------------------------------------------------


def apply_errata(
    spec: dict[str, Any], errata: dict[str, Any], skip: int | None = None
) -> dict[str, Any]:
    spec = copy.deepcopy(spec)
    schemas = spec["components"]["schemas"]
    fixes = [fix for index, fix in enumerate(errata["schemas"]) if index != skip]
    for fix in fixes:  # replacements first: the relaxations below apply to them too
        properties = schemas[fix["schema"]]["properties"]
        properties.update(copy.deepcopy(fix.get("replace", {})))
    for fix in fixes:
        schema = schemas[fix["schema"]]
        for name in fix.get("optional", []):
            schema["required"].remove(name)
        for name in fix.get("nullable", []):
            prop = schema["properties"][name]
            if "allOf" in prop or "oneOf" in prop:  # OAS 3.0 ignores nullable beside a $ref
                # null first: the validator's discriminator cannot look at a null
                schema["properties"][name] = {"anyOf": [{"enum": [None]}, prop]}
            else:
                prop["nullable"] = True
                if "enum" in prop:
                    prop["enum"] = [*prop["enum"], None]
    for extra in errata["responses"]:
        operation = spec["paths"].setdefault(extra["path"], {}).setdefault(extra["method"], {})
        responses = operation.setdefault("responses", {})
        responses[extra["status"]] = {"$ref": f"#/components/responses/{extra['response']}"}
    return spec


class Undeclared(Exception):
    """The spec's paths list no such answer for this operation."""


def expected_response(spec: dict[str, Any], answer: Answer, scenario: Scenario) -> str | None:
    """The response component for an answer (None: no body), from the spec's paths; for an
    operation the extract leaves out (/me), the usual error responses or the scenario's."""
    operation = spec["paths"].get(answer.path, {}).get(answer.method.lower())
    if operation is not None:
        declared = operation["responses"].get(str(answer.status))
        if declared is None:
            raise Undeclared(f"no {answer.status} for {answer.method} {answer.path}")
        ref = declared.get("$ref")
        return ref.rsplit("/", 1)[1] if ref else None
    if answer.path.startswith("/me/library"):
        raise Undeclared(f"no operation {answer.method} {answer.path}")
    if answer.status >= 400:
        return _ERROR_RESPONSES[answer.status]
    return scenario.response


_ERROR_RESPONSES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    429: "TooManyRequests",
}


def violations(spec: dict[str, Any], errata: dict[str, Any], answers: list[Answer]) -> list[str]:
    found = []
    for answer, scenario in zip(answers, SCENARIOS, strict=True):
        try:
            component = expected_response(spec, answer, scenario)
        except Undeclared as undeclared:
            found.append(f"{answer.name}: {undeclared}")
            continue
        if component is None:
            if answer.body is not None or answer.content_type != "none":
                found.append(f"{answer.name}: a body where the spec has none")
            continue
        if answer.body is None:
            allowed = any(
                body["status"] == answer.status and body["content_type"] == answer.content_type
                for body in errata["bodies"]
            )
            if not allowed:
                found.append(f"{answer.name}: {answer.content_type} body, not JSON")
            continue
        schema = {
            "$ref": f"#/components/responses/{component}/content/application~1json/schema",
            "components": spec["components"],
        }
        try:
            error = best_match(OAS30ReadValidator(schema).iter_errors(answer.body))
        except AttributeError:
            # openapi-schema-validator's discriminator reads a null as if it were an object
            found.append(f"{answer.name}: a null where the spec wants a track or an episode")
            continue
        if error is not None:
            where = "/".join(str(part) for part in error.absolute_path)
            found.append(f"{answer.name}: at /{where}: {error.message[-200:]}")
    return found


# -- the tests -----------------------------------------------------------------------------


def test_the_spec_is_the_vendored_version() -> None:
    spec = load("spotify-web-api.yml")
    assert spec["openapi"] == "3.0.3"
    assert spec["info"]["version"] == "2023.2.27"
    header = (SPEC_DIR / "spotify-web-api.yml").read_text(encoding="utf-8").splitlines()[:6]
    assert any("e1dd3838b2badac384212480cf9fc7d077dc02ad" in line for line in header)


def test_every_answer_fits_the_spec_with_its_errata(answers: list[Answer]) -> None:
    errata = load("spotify-web-api.errata.yml")
    spec = apply_errata(load("spotify-web-api.yml"), errata)
    assert violations(spec, errata, answers) == []
    assert {answer.status for answer in answers} >= {200, 204, 400, 401, 403, 404, 429}


def test_without_the_errata_the_real_shapes_do_not_fit(answers: list[Answer]) -> None:
    """The spec as published rejects what Spotify sends: the errata are not decoration."""
    errata = load("spotify-web-api.errata.yml")
    bare = load("spotify-web-api.yml")
    assert violations(bare, errata | {"responses": []}, answers)


@pytest.mark.parametrize(
    "index",
    [
        index
        for index, fix in enumerate(load("spotify-web-api.errata.yml")["schemas"])
        if "replace" not in fix  # a replacement adds checks; the others relax the spec
    ],
)
def test_every_relaxing_erratum_is_still_needed(answers: list[Answer], index: int) -> None:
    errata = load("spotify-web-api.errata.yml")
    spec = apply_errata(load("spotify-web-api.yml"), errata, skip=index)
    fix = errata["schemas"][index]
    assert violations(spec, errata, answers), f"no answer needs the erratum for {fix}"


def test_a_drifted_answer_is_caught(answers: list[Answer]) -> None:
    errata = load("spotify-web-api.errata.yml")
    spec = apply_errata(load("spotify-web-api.yml"), errata)
    for change in (
        lambda body: body["item"].update(duration_ms="3:20"),
        lambda body: body["actions"]["disallows"].update(pausing="no"),
        lambda body: body["item"]["album"].pop("images"),
    ):
        drifted = copy.deepcopy(answers[0].body)
        change(drifted)
        found = violations(
            spec, errata, [dataclasses.replace(answers[0], body=drifted), *answers[1:]]
        )
        assert len(found) == 1 and found[0].startswith("track:"), found
