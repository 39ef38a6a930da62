"""`edition new`: a scaffolded edition validates and builds at once, and nothing of the editor's is overwritten."""

import os
import re
import subprocess

import pytest
from lxml import etree

import edition.scaffold
from edition.anchors import REGISTRY_HEADER
from edition.config import Config, load_config
from edition.resources import NEW_EDITION
from edition.scaffold import new_edition
from conftest import ROOT, shared
from sitecheck import broken_links

NEXT = "next: cd my-edition && edition build; the home page, site/pages/index.md, says what to do after that"
FILES = [".gitignore", "anchors.lock", "edition.toml", "site/pages/about.md", "site/pages/index.md", "texts/example.xml",
         "texts/registers.xml"]


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_new_edition_lists_what_it_created(run, tmp_path):
    code, out, err = run(["new", "my-edition"], cwd=tmp_path)
    assert (code, err) == (0, "")
    assert out.splitlines() == ["created a new edition in my-edition/:", *(f"  {f}" for f in FILES), NEXT]
    assert sorted(snapshot(tmp_path / "my-edition")) == FILES
    assert os.listdir(tmp_path) == ["my-edition"], "the staging folder was left behind"


def test_new_edition_validates_and_builds(run, tmp_path):
    run(["new", "my-edition"], cwd=tmp_path)
    project = tmp_path / "my-edition"
    assert run(["validate"], cwd=project) == (0, "valid: no errors, 0 warnings\n", "")
    code, out, err = run(["build", "--check-text"], cwd=project)
    assert code == 0, err
    site = project / "_site"
    assert (site / "documents" / "example" / "index.html").is_file()
    assert (site / "about" / "index.html").is_file()
    assert broken_links(site) == []


def test_what_a_build_makes_is_ignored_by_git_and_the_edition_is_not(run, tmp_path):
    run(["new", "my-edition"], cwd=tmp_path)
    project = tmp_path / "my-edition"
    assert run(["build", "--no-search"], cwd=project)[0] == 0
    made = [p.name for p in project.iterdir() if p.name.startswith(("_site", "._site"))]
    assert "_site" in made and "._site.edition-state.sqlite" in made
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=project, check=True,
                            capture_output=True, text=True).stdout
    assert sorted(line[3:] for line in status.splitlines()) == FILES


def test_new_edition_has_no_warning_once_its_anchors_are_registered(run, tmp_path):
    run(["new", "my-edition"], cwd=tmp_path)
    project = tmp_path / "my-edition"
    assert (project / "anchors.lock").read_text(encoding="utf-8") == REGISTRY_HEADER
    assert run(["anchors", "--update"], cwd=project)[0] == 0
    code, out, err = run(["build"], cwd=project)
    assert (code, err) == (0, "")
    assert ", 0 warning(s)" in out


def test_new_edition_texts_are_valid_tei():
    tei_all = etree.RelaxNG(etree.parse(str(shared("tei/tei_all.rng"))))
    for path in sorted((NEW_EDITION / "texts").glob("*.xml")):
        assert tei_all.validate(etree.parse(str(path))), (path.name, str(tei_all.error_log))


def test_new_edition_settings_are_the_documented_defaults_each_with_a_comment(tmp_path):
    new_edition(tmp_path / "my-edition")
    path = tmp_path / "my-edition" / "edition.toml"
    config, problems = load_config(path.parent)
    assert problems == []
    lines = path.read_text(encoding="utf-8").splitlines()
    settings = {line.split(" = ")[0]: n for n, line in enumerate(lines) if " = " in line and not line.startswith("#")}
    # Every setting of the README's table is shown, so the editor finds them all in one place.
    assert sorted(settings) == sorted(set(settings) | readme_settings())
    defaults = Config(title="", project_dir=path.parent)
    for name, line in settings.items():
        assert lines[line - 1].startswith("# "), f"no comment above {name}"
        if name != "title":
            assert getattr(config, name) == getattr(defaults, name), f"{name} is not at its default"


def readme_settings() -> set[str]:
    """The keys of the settings table of README.md."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("## Settings: `edition.toml`", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `(\w+)` \|", table, re.MULTILINE))


def test_new_refuses_a_folder_that_is_not_empty(run, tmp_path):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("my notes\n")
    code, out, err = run(["new", "taken"], cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "taken:1:1: error: this folder is not empty, and `edition new` never writes over files: give the path of "
        "a new or empty folder for the edition [new-not-empty]",
        "new: nothing was written",
    ]
    assert snapshot(taken) == {"notes.txt": b"my notes\n"}
    assert os.listdir(tmp_path) == ["taken"]


def test_new_refuses_a_file(run, tmp_path):
    (tmp_path / "edition.txt").write_text("not a folder\n")
    code, out, err = run(["new", "edition.txt"], cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "edition.txt:1:1: error: this is a file, not a folder: give the path of a new or empty folder for the "
        "edition [new-not-a-folder]",
        "new: nothing was written",
    ]
    assert snapshot(tmp_path) == {"edition.txt": b"not a folder\n"}


def test_new_fills_an_existing_empty_folder_and_keeps_it(run, tmp_path):
    folder = tmp_path / "my-edition"
    folder.mkdir()
    inode = folder.stat().st_ino
    code, out, err = run(["new", "."], cwd=folder)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "next: edition build; the home page, site/pages/index.md, says what to do after that"
    assert sorted(snapshot(folder)) == FILES
    # The editor's shell may stand in the folder: replacing it would leave them in a deleted one.
    assert folder.stat().st_ino == inode
    assert os.listdir(tmp_path) == ["my-edition"]


def test_new_reports_a_folder_it_cannot_create(run, tmp_path):
    (tmp_path / "file").write_text("")
    code, out, err = run(["new", "file/my-edition"], cwd=tmp_path)
    assert (code, out) == (3, "")
    assert err.splitlines() == [
        f"file/my-edition:1:1: error: cannot create the edition here: File exists: '{tmp_path / 'file'}'; "
        "choose a folder you can write to [new-unwritable]",
        "new: nothing was written",
    ]


def test_an_interrupted_copy_leaves_nothing(tmp_path, monkeypatch):
    def interrupted(staging):
        (staging / "edition.toml").write_text('title = "half"\n')
        raise KeyboardInterrupt

    monkeypatch.setattr(edition.scaffold, "_fill", interrupted)
    with pytest.raises(KeyboardInterrupt):
        new_edition(tmp_path / "my-edition")
    assert os.listdir(tmp_path) == []


def test_a_failed_move_into_an_empty_folder_leaves_it_empty(tmp_path, monkeypatch):
    target = tmp_path / "my-edition"
    target.mkdir()
    moved = []

    def rename(source, destination):
        if moved:
            raise OSError(28, "No space left on device", str(destination))
        moved.append(destination)
        os.replace(source, destination)

    monkeypatch.setattr(edition.scaffold.os, "rename", rename)
    result = new_edition(target)
    assert result.exit_code == 3
    assert [d.code for d in result.report.diagnostics] == ["new-unwritable"]
    assert os.listdir(target) == [] and os.listdir(tmp_path) == ["my-edition"]
