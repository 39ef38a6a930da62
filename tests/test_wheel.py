"""An installed wheel finds its schemas, stylesheets and templates and builds the bundled edition."""

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A virtual environment with edition installed from a freshly built wheel (dependencies from the host)."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", work / "dist", ROOT],
                   check=True)
    (wheel,) = (work / "dist").glob("edition-*.whl")
    env = work / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env)
    python = env / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel],
                   check=True)
    return env


def test_wheel_carries_its_resources(installed):
    python = installed / "bin" / "python"
    where = subprocess.run([python, "-c", "import edition.resources as r; print(r.ROOT)"],
                           check=True, capture_output=True, text=True, cwd="/").stdout.strip()
    assert Path(where).is_relative_to(installed), f"resources found outside the wheel: {where}"
    for folder in ["schemas/edition.rng", "schemas/edition.sch", "xslt/edition.xsl", "site/templates/base.html",
                   "site/static/edition.css", "site/new-edition/.gitignore"]:
        assert (Path(where) / folder).is_file(), folder


def test_wheel_builds_the_bundled_edition(installed, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "texts", project / "texts")
    shutil.copytree(ROOT / "site" / "pages", project / "site" / "pages")
    shutil.copy(ROOT / "edition.toml", project)
    result = subprocess.run([installed / "bin" / "edition", "build", project], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (project / "_site" / "documents" / "secto-8" / "index.html").is_file()
    assert "site written to" in result.stdout
