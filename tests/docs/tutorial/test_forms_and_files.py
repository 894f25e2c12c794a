"""docs/tutorial/forms-and-files.md: form fields, form models, File / UploadFile and several
files in one request, as the page states them."""

from accord.testclient import TestClient
from docs_src.tutorial import forms_and_files_001, forms_and_files_002

from ._fastapi import assert_same_as_fastapi

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 24


def test_form_fields_and_a_repeated_field() -> None:
    client = TestClient(forms_and_files_001.app)
    response = client.post(
        "/newsletter", data={"email": "ada@example.org", "topics": ["sf", "poetry"]}
    )
    assert response.json() == {"email": "ada@example.org", "topics": ["sf", "poetry"]}
    bad = client.post("/newsletter", data={"email": "not an address"})
    assert bad.status_code == 422
    assert {(tuple(e["loc"]), e["type"]) for e in bad.json()["detail"]} == {
        (("body", "email"), "string_pattern_mismatch"),
        (("body", "topics"), "missing"),
    }


def test_a_form_model() -> None:
    client = TestClient(forms_and_files_001.app)
    ok = client.post("/reviews", data={"book_id": "1", "stars": "4"})
    assert ok.json() == {"book_id": 1, "stars": 4, "text": ""}
    extra = client.post("/reviews", data={"book_id": "1", "stars": "4", "spam": "x"})
    assert extra.status_code == 422
    assert extra.json()["detail"][0]["type"] == "extra_forbidden"
    assert extra.json()["detail"][0]["loc"] == ["body", "spam"]
    assert client.post("/reviews", json={"book_id": 1, "stars": 4}).status_code == 422


def test_forms_are_documented_as_urlencoded_bodies() -> None:
    body = forms_and_files_001.app.openapi()["paths"]["/reviews"]["post"]["requestBody"]
    assert list(body["content"]) == ["application/x-www-form-urlencoded"]


def test_a_file_as_bytes() -> None:
    response = TestClient(forms_and_files_002.app).post(
        "/covers/size", files={"cover": ("c.png", PNG, "image/png")}
    )
    assert response.json() == {"bytes": len(PNG)}


def test_an_upload_file_with_a_form_field() -> None:
    client = TestClient(forms_and_files_002.app)
    response = client.post(
        "/books/3/cover",
        files={"cover": ("dune.png", PNG, "image/png")},
        data={"caption": "First edition"},
    )
    assert response.json() == {
        "book_id": 3,
        "filename": "dune.png",
        "type": "image/png",
        "bytes": len(PNG),
        "caption": "First edition",
    }
    wrong = client.post("/books/3/cover", files={"cover": ("a.txt", b"hi", "text/plain")})
    assert (wrong.status_code, wrong.json()) == (415, {"detail": "Covers are PNG or JPEG"})
    missing = client.post("/books/3/cover", data={"caption": "no file"})
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "cover"]


def test_several_files() -> None:
    response = TestClient(forms_and_files_002.app).post(
        "/imports",
        files=[
            ("files", ("a.csv", b"title\nDune\nEmma\n", "text/csv")),
            ("files", ("b.csv", b"title\nUlysses\n", "text/csv")),
        ],
    )
    assert response.json() == [{"name": "a.csv", "lines": 3}, {"name": "b.csv", "lines": 2}]


def test_files_are_documented_as_multipart_binary() -> None:
    document = forms_and_files_002.app.openapi()
    body = document["paths"]["/imports"]["post"]["requestBody"]["content"]
    [media_type] = body
    assert media_type == "multipart/form-data"
    [schema_name] = [n for n in document["components"]["schemas"] if n.startswith("Body_import")]
    files = document["components"]["schemas"][schema_name]["properties"]["files"]
    assert files["items"] == {"type": "string", "contentMediaType": "application/octet-stream"}


def test_the_examples_behave_as_on_fastapi() -> None:
    assert_same_as_fastapi(
        forms_and_files_001,
        [
            ("POST", "/newsletter", {"data": {"email": "a@b", "topics": "x"}}),
            ("POST", "/reviews", {"data": {"book_id": "x", "stars": "9"}}),
            ("POST", "/reviews", {"json": {"book_id": 1, "stars": 2}}),
        ],
    )
    assert_same_as_fastapi(
        forms_and_files_002,
        [
            ("POST", "/covers/size", {}),
            ("POST", "/books/1/cover", {"files": {"cover": ("c.jpg", b"jpg", "image/jpeg")}}),
            ("POST", "/imports", {"files": [("files", ("x", b"1\n", "text/plain"))]}),
        ],
    )
