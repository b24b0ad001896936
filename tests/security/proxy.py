"""A small TCP proxy for fault tests, between the app and Rasa: pass through, hold a request, delay a response,
or cut connections. Threads and plain sockets: it must keep working while the processes around it misbehave."""
from __future__ import annotations

import contextlib
import socket
import threading
import time


class FaultProxy:
    def __init__(self, target_port: int, host: str = "127.0.0.1") -> None:
        self.target = (host, target_port)
        self.server = socket.create_server((host, 0))
        self.port = int(self.server.getsockname()[1])
        self.delay_response = 0.0  # seconds each response waits before it is forwarded
        self.hold = threading.Event()  # set: requests wait here until released
        self.release = threading.Event()
        self.requests = 0
        self.seen = threading.Event()  # a request reached the proxy
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://{self.target[0]}:{self.port}"

    def reset(self) -> None:
        self.delay_response = 0.0
        self.hold.clear()
        self.release.clear()
        self.seen.clear()

    def close(self) -> None:
        self._stop = True
        self.server.close()

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        try:
            while True:
                data = client.recv(65536)
                if not data:
                    return
                self.requests += 1
                self.seen.set()
                if self.hold.is_set():
                    self.release.wait(60)
                if upstream is None:
                    upstream = socket.create_connection(self.target, timeout=60)
                    threading.Thread(target=self._back, args=(upstream, client), daemon=True).start()
                upstream.sendall(data)
        except OSError:
            return
        finally:
            for s in (client, upstream):
                if s is not None:
                    with contextlib.suppress(OSError):
                        s.close()

    def _back(self, upstream: socket.socket, client: socket.socket) -> None:
        try:
            while True:
                data = upstream.recv(65536)
                if not data:
                    break
                if self.delay_response:
                    time.sleep(self.delay_response)
                client.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_RDWR)
