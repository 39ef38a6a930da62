"""edition: validate TEI transcriptions and build a static, citable scholarly website from them."""

__version__ = "0.1.0"
