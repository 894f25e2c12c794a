import accord.as_fastapi  # first: from here on, `fastapi` is Accord

from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

app = FastAPI()


def user() -> str:
    return "ada"


@app.get("/whoami")
def whoami(name: str = Depends(user)) -> dict[str, str]:
    return {"user": name}


if __name__ == "__main__":
    import accord

    assert FastAPI is accord.FastAPI  # the very same class
    print(TestClient(app).get("/whoami").json())
