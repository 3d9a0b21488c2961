"""A server that runs only the signaling endpoint: for benchmarks and multi-node tests.

``python -m interview.signaling.standalone --port 8765`` reads the usual ``ALLWORK_*``
settings (``ALLWORK_SECRET_KEY`` must be the same on every node so tokens check out;
``ALLWORK_REDIS_URL`` makes nodes share rooms). The full application mounts the same
endpoint through :func:`~interview.signaling.server.setup_signaling`.
"""

from __future__ import annotations

import argparse
import logging

from aiohttp import web

from core.config import load_settings
from interview.signaling.options import SignalingOptions
from interview.signaling.server import setup_signaling


def build_app(args: argparse.Namespace) -> web.Application:
    settings = load_settings()
    options = SignalingOptions(
        redis_prefix=args.prefix,
        presence_ttl=args.presence_ttl,
        presence_heartbeat=args.heartbeat,
        rate=args.rate,
        burst=args.burst,
    )
    app = web.Application()
    setup_signaling(app, settings, path=args.path, options=options)
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--path", default="/ws/signal")
    parser.add_argument("--prefix", default="allwork:sig")
    parser.add_argument("--presence-ttl", type=float, default=15.0)
    parser.add_argument("--heartbeat", type=float, default=None)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--burst", type=int, default=60)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    web.run_app(build_app(args), host=args.host, port=args.port, print=lambda *a: print(*a, flush=True))


if __name__ == "__main__":
    main()
