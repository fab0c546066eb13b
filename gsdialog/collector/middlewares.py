"""The phones' server's middleware: refusals as pages, and the security headers on every response."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from gsdialog.collector.requests import SECURITY_HEADERS, refusal, render


@web.middleware
async def errors_and_headers(request: web.Request,
                             handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                             ) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPRequestEntityTooLarge:
        response = refusal(request, "too_large", 413)
    except web.HTTPNotFound:
        response = render(request, "code.html", status=404, unknown=True, typed="")
    except web.HTTPMethodNotAllowed as error:
        response = web.Response(status=error.status, text=error.text, headers=error.headers)
    except UnicodeDecodeError:
        response = refusal(request, "bad_encoding", 400)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
