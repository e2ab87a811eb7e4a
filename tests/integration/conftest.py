import pytest

from tests.integration.servers import running


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    with running(tmp_path_factory.mktemp("servers")) as started:
        yield started
