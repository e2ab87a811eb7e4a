"""The portal's admin pages over HTTP: only an admin sees them; disabling,
enabling and removing clinicians (signed out at once, audited); the whole
audit log with filters."""

import re
import urllib.parse

import pytest

from tests.integration.servers import running
from tests.integration.test_portal_over_http import PASSWORD, Browser


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    with running(tmp_path_factory.mktemp("admin"), chat=False) as started:
        started.add_clinician("alice", PASSWORD)
        started.cli("assign", "client-7", "alice")
        started.python("from bot import service; service.record_escalation('client-7', 'abuse', 'rules', 'm1')")
        started.start_portal()
        yield started


def test_an_admin_disables_enables_and_removes_clinicians_and_filters_the_audit_log(portal):
    portal.add_clinician("dana", PASSWORD, admin=True)
    for name in ("erin", "frank"):
        portal.add_clinician(name, PASSWORD)
    portal.cli("assign", "client-21", "frank")
    alice = Browser(portal.portal_url)
    alice.sign_in("alice")
    for path in ("/clinician/admin/clinicians", "/clinician/admin/audit"):
        assert alice.go(path)[0] == 404  # not an admin: the pages do not exist
    assert b"admin/clinicians" not in alice.go("/clinician/")[2]
    token = alice.csrf("/clinician/")
    assert alice.go("/clinician/admin/clinicians/erin/disable", {"csrf_token": token})[0] == 404

    dana = Browser(portal.portal_url)
    dana.sign_in("dana")
    page = dana.go("/clinician/admin/clinicians")[2].decode()
    for name in ("alice", "erin", "frank", "dana"):
        assert f"<td>{name}</td>" in page
    token = dana.csrf("/clinician/admin/clinicians")
    erin = Browser(portal.portal_url)
    erin.sign_in("erin")
    assert erin.go("/clinician/")[0] == 200
    assert dana.go("/clinician/admin/clinicians/erin/disable", {"csrf_token": "forged"})[0] == 403
    status, _, body = dana.go("/clinician/admin/clinicians/erin/disable", {"csrf_token": token})
    assert status == 200 and b"erin cannot sign in now" in body
    assert erin.go("/clinician/")[0] == 302  # signed out at once
    assert erin.sign_in("erin")[0] == 401
    dana.go("/clinician/admin/clinicians/erin/enable", {"csrf_token": token})
    assert erin.sign_in("erin")[0] == 302
    status, _, body = dana.go("/clinician/admin/clinicians/dana/disable", {"csrf_token": token})
    assert status == 400 and b"cannot disable or remove yourself" in body
    status, _, body = dana.go("/clinician/admin/clinicians/frank/remove", {"csrf_token": token})
    assert b"Removed frank; 1 client(s) now have no clinician" in body
    assert b"<td>frank</td>" not in dana.go("/clinician/admin/clinicians")[2]

    def audit(**filters):
        rows = dana.go("/clinician/admin/audit?" + urllib.parse.urlencode(filters))[2].decode()
        return re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>", rows)

    assert audit(action="removed_clinician") == [("clinician:dana", "removed_clinician", "")]
    assert [a for a, _, _ in audit(actor="dana")] == ["clinician:dana"] * 4
    assert {c for _, _, c in audit(client="client-7")} == {"client-7"}
    assert audit(since="2999-01-01") == [] and len(audit(until="2999-01-01")) > 4
    assert audit(client="<script>") == []
