"""An installed wheel finds its schemas, stylesheets and templates and builds the bundled edition."""

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A virtual environment with edition installed from a freshly built wheel (dependencies from the tests' own)."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", work / "dist", ROOT],
                   check=True)
    (wheel,) = (work / "dist").glob("edition-*.whl")
    env = work / "venv"
    venv.EnvBuilder(with_pip=False).create(env)
    python = env / "bin" / "python"
    # The dependencies are those of the environment running the tests (wherever pip put them: a virtual
    # environment's site-packages is not the system's), named in a .pth file; the .pth files found there, such
    # as the editable install of the checkout, are not run, so `edition` comes from the wheel alone.
    site_packages = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   check=True, capture_output=True, text=True).stdout.strip()
    host = {sysconfig.get_paths()[name] for name in ("purelib", "platlib")}
    (Path(site_packages) / "host-dependencies.pth").write_text("".join(f"{folder}\n" for folder in sorted(host)))
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
