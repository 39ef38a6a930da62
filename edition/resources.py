"""Where the generator's own schemas, stylesheets and site templates live.

In a checkout (and an editable install) they sit beside the package at the repository's top level; a built
wheel carries them inside the package as `edition/_data/` (see pyproject.toml).
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _resource_root() -> Path:
    bundled = _PACKAGE / "_data"
    if (bundled / "schemas").is_dir():
        return bundled
    return _PACKAGE.parent


ROOT = _resource_root()
SCHEMAS = ROOT / "schemas"
XSLT = ROOT / "xslt"
SITE = ROOT / "site"
TEMPLATES = SITE / "templates"
STATIC = SITE / "static"
DEFAULT_PAGES = SITE / "pages"
NEW_EDITION = SITE / "new-edition"
