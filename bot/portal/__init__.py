"""The portal: the widget's files, a demo page of a fictional practice with
the widget embedded, and (for clinicians) the pre-session summary."""

from pathlib import Path

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
CLINICIAN = "/clinician"  # the clinician's pages (clinician.py)
ADMIN = f"{CLINICIAN}/admin"  # the admin pages (admin.py)
