"""``python -m examples.harbor``: prepare the database, print the demo key, serve.

Options: ``--host`` (127.0.0.1), ``--port`` (8000), ``--workers`` (1), ``--webhook-url``
(where the demo partner's webhooks go; none by default), ``--no-serve`` (prepare only).
"""

from __future__ import annotations

import argparse
import asyncio

import uvicorn

from examples.harbor.core.config import Settings
from examples.harbor.seed import prepare_demo


def main(argv: list[str] | None = None) -> None:
    """Parse the options, seed, print how to call the API, then run Uvicorn."""
    parser = argparse.ArgumentParser(prog="python -m examples.harbor", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--webhook-url", default=None)
    parser.add_argument("--no-serve", action="store_true")
    args = parser.parse_args(argv)
    settings = Settings()
    demo = asyncio.run(prepare_demo(settings, args.webhook_url))
    base = f"http://{args.host}:{args.port}"
    print(
        f"Harbor Payments is ready.\n"
        f"  demo partner API key: {demo.api_key}\n"
        f"  webhook secret:       {demo.webhook_secret}\n"
        f"  docs:                 {base}/docs\n"
        f"  try: curl -X POST {base}/api/v1/orders -H 'X-API-Key: {demo.api_key}' "
        "-H 'Idempotency-Key: first-order' -H 'Content-Type: application/json' "
        '-d \'{"customer_email": "ada@example.com", "currency": "EUR", '
        '"lines": [{"sku": "HB-1", "quantity": 2, "unit_price": "9.99"}]}\'',
        flush=True,
    )
    if not args.no_serve:
        # Harbor writes its own access log (JSON, with request ids): Uvicorn's is off.
        uvicorn.run(
            "examples.harbor.main:app",
            host=args.host,
            port=args.port,
            workers=args.workers,
            access_log=False,
        )


if __name__ == "__main__":
    main()
