"""Command line: `python -m app serve|check|migrate|users|keys|purge` (run with the app's virtualenv)."""
from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys

from app.config import get_settings

# Domain packages add their own subcommands: each module has register(subparsers) and sets func on its parsers.
COMMAND_MODULES = ("app.staff.cli", "app.privacy.cli", "app.reports.cli", "app.network.cli", "app.network.jobs",
                   "app.safety.cli", "app.demo.cli")


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.logs import configure_root, log_config
    from app.main import create_app

    settings = get_settings()
    app = create_app(settings)
    configure_root()
    freeze_startup_objects()
    # proxy_headers off here: create_app trusts X-Forwarded-For only from XINAN_TRUSTED_PROXIES
    uvicorn.run(app, host=args.host or settings.host, port=args.port or settings.port, access_log=False,
                log_level="info", proxy_headers=False, log_config=log_config())
    return 0


def freeze_startup_objects() -> None:
    """What start-up built (modules, scales, routes) lives as long as the process: gc.freeze() takes it out of every
    later collection, so a full collection walks only what turns created and does not hold every turn in flight."""
    gc.collect()
    gc.freeze()


def _check(_: argparse.Namespace) -> int:
    from app.data_dir import loose_modes
    from app.runtime import load_runtime

    rt = load_runtime(get_settings())
    for problem in loose_modes(rt.settings.resolved_data_dir):
        print(f"warning: {problem}; run: chmod -R go-rwx {rt.settings.resolved_data_dir}", file=sys.stderr)
    print(f"ok: {len(rt.scales.all())} scales ({', '.join(rt.scales.ids())}), keys and settings valid")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from app.db import downgrade, upgrade

    if args.downgrade:
        downgrade(get_settings().sqlalchemy_url, args.downgrade)
    else:
        upgrade(get_settings())
    return 0


def _rasa_model(args: argparse.Namespace) -> int:
    from app.rasa.process import main_train, model_path

    if args.train:
        return main_train(get_settings())
    print(model_path(get_settings()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description="Xin'an service commands")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("serve", help="run the app (migrates the store first)")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.set_defaults(func=_serve)
    sub.add_parser("check", help="validate settings, scale files and keys, then exit").set_defaults(func=_check)
    p = sub.add_parser("migrate", help="alembic upgrade head (or --downgrade REV)")
    p.add_argument("--downgrade")
    p.set_defaults(func=_migrate)
    p = sub.add_parser("rasa-model", help="print the model path for the current dialogue data (--train: train it)")
    p.add_argument("--train", action="store_true")
    p.set_defaults(func=_rasa_model)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.umask(0o077)  # every file any command creates (stores, keys, logs, Rasa's tracker) is the owner's alone
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except Exception as exc:  # start-up refusals: one clear line, no traceback noise
        from pydantic import ValidationError

        from app.safety.lexicon import LexiconFileError
        from app.scales.registry import ScaleFileError
        from app.secrets_store import SecretsError

        if isinstance(exc, ScaleFileError | SecretsError | LexiconFileError | ValidationError | ValueError):
            print(f"xinan: refusing to start: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
