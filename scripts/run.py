"""`make run`: Rasa and the app in the foreground with their logs, the URL printed, both stopped on Ctrl-C."""
from __future__ import annotations

import os
import signal
import sys
import time

from app.config import get_settings
from scripts.devstack import Stack


def main() -> int:
    os.umask(0o077)  # the model, Rasa's endpoints and logs written from here are the owner's alone
    settings = get_settings()
    stack = Stack(settings, app_port=settings.port, rasa_port=int(settings.rasa_url.rsplit(":", 1)[1].split("/")[0]),
                  host=settings.host)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        print("==> starting Rasa (about 20 s) and the app", flush=True)
        stack.start_rasa()
        stack.start_app()
        stack.wait_ready()
        print(f"\n==> Xin'an is ready: {stack.app_url}/chat   (console {stack.app_url}/console, "
              f"API docs {stack.app_url}/docs). Ctrl-C stops both.\n", flush=True)
        while all(p.poll() is None for p in stack.procs.values()):
            time.sleep(1)
        dead = [n for n, p in stack.procs.items() if p.poll() is not None]
        print(f"==> {', '.join(dead)} stopped; shutting down", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n==> stopping", flush=True)
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
