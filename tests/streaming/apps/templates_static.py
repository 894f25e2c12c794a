"""A fixture directory mounted at ``/static`` and a Jinja2 template linking with ``url_for``,
each through the framework's own import paths (``fw.staticfiles``, ``fw.templating``).

An app module: ``tests/streaming/_compare.py`` loads it on FastAPI and on Accord through
``tests/oracle.py``.
"""

from pathlib import Path
from typing import Any

import fw

FIXTURES = Path(__file__).parent.parent / "fixtures"

templates = fw.templating.Jinja2Templates(directory=FIXTURES / "templates")
app = fw.FastAPI()
app.mount("/static", fw.staticfiles.StaticFiles(directory=FIXTURES / "static"), name="static")


@app.get("/items/{item_id}", response_class=fw.responses.HTMLResponse)
def read_item(request: fw.Request, item_id: int) -> Any:
    return templates.TemplateResponse(request, "item.html", {"item_id": item_id})
