"""What runs beside every change, wired once per process: every table registered, the audit
trail on every flush, and the stored evaluations refreshed before every commit.

The application (``service.main``) and every command-line job call ``assemble`` before they
touch the database; nothing else imports the audit recorder or the evaluation hook.
"""

import service.models  # noqa: F401  (every table, so flushes can order their inserts)
from service.audit.recorder import install_audit
from service.evaluations.hook import refresh_touched_students
from service.kit.unit_of_work import register_before_commit


def assemble() -> None:
    install_audit()
    register_before_commit(refresh_touched_students)
