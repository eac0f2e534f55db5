r"""The live page's web server: standard library only, loopback only, one token per session.

    GET  /?token=T           the page (page.py); its script sends T in a header from then on
    GET  /frame?after=V      the newest frame past version V, within 1 s (long polling: the page
                             asks for the next frame when it has drawn the last, so frames never
                             pile up, and no page asking means no frames made)
    GET  /state              the session's numbers (position, config, optimizers' lr, event log)
    POST /control            {"action": …} → {"ok", "message"}: every change of state, POST only

Safety (docs/guide.md, "The live page"): the socket is bound to 127.0.0.1 — which every local
user of the machine shares, hence the rest. ``refusal`` checks every request before anything
else: the Host header must be this very address and port (a DNS-rebinding page has another
name), an Origin header, when sent, the page's own; the token (``secrets.token_urlsafe(32)``)
must come in the X-Minigan-Token header or, for GET only, as ?token=, compared in constant time
(``hmac.compare_digest``). No Access-Control-Allow-Origin is ever sent, and the custom header
makes a cross-site fetch need a CORS preflight that is never granted. No cookie: a cookie of
127.0.0.1 is sent to every port of it, other users' servers included.
"""
import hmac
import json
import os
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .session import read_events

HEADER = "X-Minigan-Token"
MAX_BODY = 8 * 2**20            # 8 MB: 100,000 drawn points as JSON, with room
SECURITY_HEADERS = {
    "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
    # the page loads nothing: its script and style are inline, it talks to this server only
    "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; "
                               "style-src 'unsafe-inline'; connect-src 'self'; img-src data: blob:; "
                               "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"}


def refusal(method, target, headers, token, port):
    """(status, reason) for a request that must be refused, or None. headers: a mapping with
    .get (case-insensitive, as http.server's); target: the request's path and query."""
    hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
    if headers.get("Host") not in hosts:
        return 403, "wrong Host header (the page must be opened as http://127.0.0.1:PORT)"
    origin = headers.get("Origin")
    if origin is not None and origin not in {f"http://{h}" for h in hosts}:
        return 403, "a request from another site"
    if method not in ("GET", "POST"):
        return 405, "GET or POST only"
    given = headers.get(HEADER)
    if given is None and method == "GET":
        given = (parse_qs(urlsplit(target).query).get("token") or [None])[0]
    if given is None or not hmac.compare_digest(given.encode("utf-8", "replace"), token.encode()):
        return 403, "no token, or not this session's (open the URL minigan live printed)"
    if method == "POST" and headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
        return 415, "controls are JSON (Content-Type: application/json)"
    return None


class Handler(BaseHTTPRequestHandler):
    server_version = "minigan-live"
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):          # the terminal is the session's, not a request log
        pass

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_OPTIONS(self):                  # a CORS preflight: refused, and nothing granted
        self.route("OPTIONS")

    do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS

    def route(self, method):
        srv = self.server
        refused = refusal(method, self.path, self.headers, srv.token, srv.server_address[1])
        if refused:
            return self.send(refused[0], {"ok": False, "message": refused[1]})
        path, query = urlsplit(self.path).path, parse_qs(urlsplit(self.path).query)
        live = srv.live
        if method == "GET" and path == "/":
            return self.send(200, srv.page(live), "text/html; charset=utf-8")
        if method == "GET" and path == "/frame":
            after = query.get("after", ["0"])[0]
            return self.send(200, live.frame(int(after) if after.isdigit() else 0))
        if method == "GET" and path == "/state":
            return self.send(200, state(live))
        if method == "POST" and path == "/control":
            length = self.headers.get("Content-Length") or "0"
            size = int(length) if length.isdigit() else 0
            if not 0 < size <= MAX_BODY:
                return self.send(413, {"ok": False, "message": f"a control is 1 byte to {MAX_BODY} bytes"})
            try:
                body = json.loads(self.rfile.read(size))
                action = body.pop("action")
            except (ValueError, KeyError, AttributeError, TypeError):
                return self.send(400, {"ok": False, "message": "a control is a JSON object with an action"})
            return self.send(200, live.control(str(action), body))
        return self.send(404, {"ok": False, "message": "no such page"})

    def send(self, status, body, kind="application/json"):
        data = body.encode() if isinstance(body, str) else json.dumps(body, allow_nan=False,
                                                                       default=float).encode()
        self.send_response(status)
        for k, v in {**SECURITY_HEADERS, "Content-Type": kind, "Content-Length": str(len(data))}.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)


def state(live):
    """The session's numbers for /state (what the tests check the page against)."""
    s = live.session
    t = s.t
    return {"run": live.run_id, "run_dir": s.run_dir, "position": s.position(),
            "playing": live.playing, "ended": live.ended.is_set(), "data": t.cfg.data,
            "lr": [t.opt_d.lr, t.opt_g.lr], "opt_t": [int(t.opt_d.t), int(t.opt_g.t)],
            "config": t.cfg.to_dict(), "events": read_events(s.run_dir), "folders": live.folders}


def serve(live, page, port=0):
    """Start the server on 127.0.0.1 (port 0: a free one) in a thread; returns (server, url)."""
    srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    srv.daemon_threads = True
    srv.live, srv.page, srv.token = live, page, secrets.token_urlsafe(32)
    threading.Thread(target=srv.serve_forever, name="minigan-live-server", daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}/?token={srv.token}"


def private_opener(url, folder):
    """A file only this user can read that sends the browser to ``url``: the browser's command
    line (which every local user can list) then names the file, not the token (as Jupyter)."""
    path = os.path.join(folder, "open-live.html")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={url}">'
                f'<title>minigan live</title><a href="{url}">open the live page</a>\n')
    return path
