import os
from typing import Annotated

from accord import Accord, Header, HTTPException, Request
from examples.harbor.webhooks.signing import verify

SECRET = os.environ.get("HARBOR_WEBHOOK_SECRET", "whsec_demo")
PROCESSED: set[str] = set()  # in production: a table with a unique index on the event id

app = Accord(title="Harbor webhook receiver")


@app.post("/harbor/events", status_code=204)
async def receive(
    request: Request,
    harbor_signature: Annotated[str, Header()],
    harbor_event_id: Annotated[str, Header()],
) -> None:
    body = await request.body()  # the raw bytes: the signature covers them exactly
    if not verify(SECRET, harbor_signature, body):
        raise HTTPException(400, "bad signature")
    if harbor_event_id in PROCESSED:
        return None  # a re-delivery: acknowledge, do nothing
    PROCESSED.add(harbor_event_id)  # ... and act on the event here
