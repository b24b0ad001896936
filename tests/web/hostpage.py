"""A tiny host web site on its own loopback port whose one page carries the widget's embed snippet."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Intranet</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>ACME intranet</h1><p>Wellbeing corner.</p>
<script src="{app}/embed.js" data-org="acme" data-unit="plant-1" data-locale="{locale}"></script></body></html>"""


class HostPage:
    def __init__(self, app_url: str, locale: str = "zh-CN") -> None:
        body = PAGE.format(app=app_url, locale=locale).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                self.send_response(200 if self.path == "/" else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                if self.path == "/":
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
