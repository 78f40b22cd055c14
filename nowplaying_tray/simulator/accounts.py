"""HTTP endpoints of the simulated accounts.spotify.com: /authorize and /api/token."""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from .auth import AuthState
from .auth_rules import AuthorizeError, AuthorizeRequest
from .http_types import (
    Request,
    Response,
    api_error,
    html_response,
    json_response,
    oauth_error,
    redirect,
)
from .pages import consent_page, error_page

logger = logging.getLogger(__name__)

AUTHORIZE_PATH = "/authorize"
DECISION_PATH = "/authorize/decision"
TOKEN_PATH = "/api/token"
PATHS = frozenset({AUTHORIZE_PATH, DECISION_PATH, TOKEN_PATH})


def _with_params(uri: str, params: dict[str, str]) -> str:
    separator = "&" if urlsplit(uri).query else "?"
    return uri + separator + urlencode(params)


def _outcome(request: AuthorizeRequest, params: dict[str, str]) -> Response:
    # The state goes back only when the app sent one, as Spotify does.
    if request.state is not None:
        params["state"] = request.state
    return redirect(_with_params(request.redirect_uri, params))


class AccountsService:
    def __init__(self, auth: AuthState, user_name: Callable[[], str]) -> None:
        self._auth = auth
        self._user_name = user_name

    def handle(self, request: Request) -> Response:
        if request.path == AUTHORIZE_PATH and request.method == "GET":
            return self._authorize(request)
        if request.path == DECISION_PATH and request.method == "POST":
            return self._decision(request)
        if request.path == TOKEN_PATH and request.method == "POST":
            return self._token(request)
        if request.path == TOKEN_PATH:
            return oauth_error(405, "invalid_request", "Method not allowed")
        return api_error(405, "Method not allowed")

    def _authorize(self, request: Request) -> Response:
        params = {key: values[0] for key, values in request.query.items()}
        try:
            authorize = self._auth.validate_authorize(params)
        except AuthorizeError as exc:
            logger.debug("authorize refused: %s", exc)
            return html_response(400, error_page(str(exc)))
        if self._auth.auto_approve:
            return _outcome(authorize, {"code": self._auth.issue_code(authorize)})
        request_id = self._auth.add_pending(authorize)
        page = consent_page(
            self._auth.client_name(authorize.client_id),
            self._user_name(),
            authorize.scope.split(),
            request_id,
        )
        return html_response(200, page)

    def _decision(self, request: Request) -> Response:
        form = request.form()
        authorize = self._auth.pop_pending(form.get("request_id", ""))
        if authorize is None:
            return html_response(
                400, error_page("This authorization request has expired or was already answered.")
            )
        if form.get("decision") == "agree":
            return _outcome(authorize, {"code": self._auth.issue_code(authorize)})
        return _outcome(authorize, {"error": "access_denied"})

    def _token(self, request: Request) -> Response:
        result = self._auth.token(request.form(), request.header("authorization"))
        if result.status != 200:
            logger.debug("token request refused: %s", result.payload.get("error"))
        return json_response(result.status, result.payload, {"Cache-Control": "no-store"})
