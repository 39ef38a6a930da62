"""The material beside the project that some tests read: optional in a user's clone, required in CI."""

from conftest import shared


def test_corpus_of_archival_documents_is_there():
    assert list(shared("corpus/frus-history-documents").glob("*.xml"))
