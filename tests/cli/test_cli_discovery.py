"""Finding the app: default files, packages, import strings, pyproject, and the app itself."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from starlette.applications import Starlette

from accord import Accord
from accord._cli.discovery import find_app
from accord._cli.errors import AppImportError, CLIError
from accord._cli.locate import DEFAULT_FILES, locate

from .conftest import write

APP = "from accord import Accord\napp = Accord()\n"


@pytest.mark.parametrize("default", DEFAULT_FILES)
def test_each_default_file_is_found(project: Path, default: str) -> None:
    if "/" in default:
        write(project / default.split("/")[0] / "__init__.py", "")
    write(project / default, APP)
    found = find_app(None, None)
    assert isinstance(found.app, Accord)
    assert found.reference.origin == (project / default).resolve()
    assert found.import_string == default.removesuffix(".py").replace("/", ".") + ":app"


def test_default_files_are_tried_in_order(project: Path) -> None:
    write(project / "api.py", APP)
    write(project / "app.py", APP)
    assert locate(None, None).module == "app"


def test_a_file_inside_packages_is_imported_by_its_dotted_name(project: Path) -> None:
    write(project / "src" / "shop" / "__init__.py", "")
    write(project / "src" / "shop" / "web" / "__init__.py", "")
    write(project / "src" / "shop" / "web" / "helpers.py", "TITLE = 'Shop'\n")
    # A relative import only works when the module is imported as part of its package.
    source = "from accord import Accord\nfrom .helpers import TITLE\napp = Accord(title=TITLE)\n"
    write(project / "src" / "shop" / "web" / "server.py", source)
    found = find_app("src/shop/web/server.py", None)
    assert found.import_string == "shop.web.server:app"
    assert found.reference.sys_path == (project / "src").resolve()
    assert sys.path[0] == str((project / "src").resolve())
    assert isinstance(found.app, Accord) and found.app.title == "Shop"


def test_a_package_directory_imports_its_init(project: Path) -> None:
    write(project / "service" / "__init__.py", APP)
    assert find_app("service", None).import_string == "service:app"
    assert find_app("service/__init__.py", None).import_string == "service:app"


def test_import_string_from_the_current_directory(project: Path) -> None:
    write(project / "pkg" / "__init__.py", "")
    write(project / "pkg" / "web.py", "from accord import Accord\nservice = Accord()\n")
    found = find_app("pkg.web:service", None)
    assert found.import_string == "pkg.web:service"
    assert found.reference.origin is None and found.reference.sys_path == project


def test_file_colon_attribute(project: Path) -> None:
    write(project / "main.py", "from accord import Accord\nfirst = Accord()\nsecond = Accord()\n")
    assert find_app("main.py:second", None).import_string == "main:second"
    assert find_app("main.py", "second").import_string == "main:second"


def test_app_is_preferred_then_api_then_the_first_accord(project: Path) -> None:
    write(
        project / "a.py",
        "from accord import Accord\nzzz = Accord()\napi = Accord()\napp = Accord()\n",
    )
    write(project / "b.py", "from accord import Accord\nzzz = Accord()\napi = Accord()\n")
    write(project / "c.py", "from accord import Accord\nfirst = Accord()\nsecond = Accord()\n")
    assert find_app("a.py", None).reference.attribute == "app"
    assert find_app("b.py", None).reference.attribute == "api"
    assert find_app("c.py", None).reference.attribute == "first"


def test_an_app_not_named_app_is_not_picked_when_it_is_not_accord(project: Path) -> None:
    write(project / "main.py", "from starlette.applications import Starlette\napp = Starlette()\n")
    with pytest.raises(CLIError) as caught:
        find_app("main.py", None)
    assert caught.value.message == "No Accord app found in main.py."
    assert caught.value.hint == (
        "'app' is a starlette.applications.Starlette, not an Accord app; "
        "pass --app app to use it anyway."
    )
    # Named explicitly, any ASGI app is accepted.
    assert isinstance(find_app("main.py", "app").app, Starlette)


def test_a_dotted_attribute_is_followed(project: Path) -> None:
    write(project / "main.py", "from accord import Accord\nclass Holder:\n    app = Accord()\n")
    found = find_app("main.py", "Holder.app")
    assert isinstance(found.app, Accord)
    assert found.import_string == "main:Holder.app"


def test_pyproject_entrypoint_is_used_without_a_path(project: Path) -> None:
    write(project / "backend" / "__init__.py", "")
    write(project / "backend" / "asgi.py", "from accord import Accord\nserver = Accord()\n")
    write(project / "main.py", APP)  # ignored: the entrypoint wins over the default files
    write(project / "pyproject.toml", '[tool.accord]\nentrypoint = "backend.asgi:server"\n')
    assert find_app(None, None).import_string == "backend.asgi:server"


def test_pyproject_without_accord_table_falls_back_to_default_files(project: Path) -> None:
    write(project / "pyproject.toml", '[project]\nname = "x"\n')
    write(project / "main.py", APP)
    assert find_app(None, None).import_string == "main:app"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[tool.accord]\nentrypoint = 3\n", "entrypoint in"),
        ("[tool.accord]\nentrypoint = 'main'\n", "entrypoint in"),
        ("[tool.accord\n", "Could not read"),
    ],
)
def test_bad_pyproject_entrypoint(project: Path, toml: str, message: str) -> None:
    write(project / "pyproject.toml", toml)
    with pytest.raises(CLIError) as caught:
        locate(None, None)
    assert message in caught.value.message


def test_a_module_shadowed_by_an_installed_one_is_reported(project: Path) -> None:
    write(project / "pydantic.py", APP)  # `pydantic` is already imported from site-packages
    with pytest.raises(CLIError) as caught:
        find_app("pydantic.py", None)
    assert caught.value.message.startswith("Importing 'pydantic' found ")
    assert caught.value.hint == (
        "Another module named 'pydantic' shadows your file; rename your file."
    )


def test_the_user_traceback_keeps_only_user_frames(project: Path) -> None:
    write(project / "main.py", "from accord import Accord\napp = Accord()\n1 / 0\n")
    with pytest.raises(AppImportError) as caught:
        find_app("main.py", None)
    error = caught.value
    assert error.message == "Could not import main.py: ZeroDivisionError: division by zero"
    assert error.hint == "The traceback above shows the line of your code that failed."
    lines = error.traceback_text.splitlines()
    # Only the user's frame (caret lines vary between Python versions).
    assert lines[:3] == [
        "Traceback (most recent call last):",
        f'  File "{project / "main.py"}", line 3, in <module>',
        "    1 / 0",
    ]
    assert lines[-1] == "ZeroDivisionError: division by zero"
    assert sum(line.startswith("  File ") for line in lines) == 1


def test_sys_exit_at_import_is_reported_not_obeyed(project: Path) -> None:
    write(project / "main.py", "import sys\nsys.exit('configuration missing')\n")
    with pytest.raises(AppImportError) as caught:
        find_app("main.py", None)
    assert caught.value.message == "Could not import main.py: SystemExit: configuration missing"


def test_output_printed_at_import_goes_to_stderr(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "main.py", f"print('hello from import')\n{APP}")
    find_app("main.py", None)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "hello from import\n"


def test_a_missing_third_party_module_gets_an_install_hint(project: Path) -> None:
    write(project / "main.py", "import sqlalchemy_not_here.orm\n")
    with pytest.raises(AppImportError) as caught:
        find_app("main.py", None)
    assert caught.value.message == (
        "Could not import main.py: ModuleNotFoundError: No module named 'sqlalchemy_not_here'"
    )
    assert caught.value.hint == (
        "Install the package that provides 'sqlalchemy_not_here' into this environment "
        f"({sys.executable}), or fix the import."
    )
