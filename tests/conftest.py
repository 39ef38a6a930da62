"""Shared fixtures: the repository's root, the mini editions under tests/editions/, a CLI runner."""

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = ROOT / "tests" / "editions"
SHARED = ROOT.parent / "shared"


def shared(relative: str) -> Path:
    """A file of ../shared; skip with the reason when it is absent, but fail in CI, where it must be there."""
    path = SHARED / relative
    if not path.exists():
        reason = f"../shared/{relative} is absent (a fresh clone outside the workplace)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture
def run(monkeypatch):
    """Run the `edition` command in a working folder; return (exit code, stdout, stderr)."""
    from edition.cli import main

    def invoke(args, cwd=ROOT):
        monkeypatch.chdir(cwd)
        result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return invoke


@pytest.fixture
def edition_copy(tmp_path):
    """A copy of a mini edition in a temporary folder, so a test can change or break it."""

    def copy(name):
        target = tmp_path / name
        shutil.copytree(EDITIONS / name, target)
        return target

    return copy


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The bundled edition, built once for all the tests that only read the site."""
    from edition.build import build

    out = tmp_path_factory.mktemp("site") / "_site"
    result = build(ROOT, out)
    assert result.exit_code == 0, [d.format() for d in result.report.diagnostics]
    return out


@pytest.fixture(scope="session")
def served_site(site):
    """The bundled site over HTTP on 127.0.0.1, for the browser: its base address, ending in '/'."""
    from sitecheck import serve

    with serve(site) as base:
        yield base


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium with the flags a closed network needs, never a browser
    of its own (which `playwright install` would download, and cannot here)."""
    from sitecheck import CHROMIUM_FLAGS, chromium

    return {**browser_type_launch_args, "executable_path": chromium(), "args": CHROMIUM_FLAGS}
