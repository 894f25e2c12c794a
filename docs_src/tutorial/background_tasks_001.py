from typing import Annotated

from pydantic import BaseModel

from accord import BackgroundTasks, Depends, FastAPI

app = FastAPI(title="Bookshop")
outbox: list[str] = []


class Order(BaseModel):
    email: str
    titles: list[str]


def send_email(to: str, subject: str) -> None:
    outbox.append(f"to {to}: {subject}")


async def write_audit_line(line: str) -> None:
    outbox.append(f"audit: {line}")


def audited(tasks: BackgroundTasks, customer: str = "guest") -> str:
    tasks.add_task(write_audit_line, f"order placed by {customer}")
    return customer


@app.post("/orders", status_code=202)
def place_order(
    order: Order, tasks: BackgroundTasks, customer: Annotated[str, Depends(audited)]
) -> dict[str, str]:
    tasks.add_task(
        send_email, order.email, subject=f"{len(order.titles)} book(s) on the way"
    )
    return {"status": "accepted", "customer": customer}
