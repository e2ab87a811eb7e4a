import pytest

from tests.integration.servers import MODEL, Servers


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail("models/current.tar.gz is missing: run `make model` (make test does it)")
    running = Servers(tmp_path_factory.mktemp("servers")).start()
    yield running
    running.stop()
