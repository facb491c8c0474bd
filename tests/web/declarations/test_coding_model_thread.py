"""The coding model trained by a real daemon thread, on its own database connection."""

from __future__ import annotations

import threading

from django.contrib.auth.models import User

from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project
from testimonio.web.declarations.coding_model import current_model, forget_models, is_training
from tests.web.declarations.test_coding_model import _coded
from tests.web.linking.test_linkage_jobs import audit_guard_put_back, committed

__all__ = ["audit_guard_put_back", "committed"]  # fixtures: data really committed


def test_a_real_training_thread_trains_on_committed_codings_and_clears_its_flag(
    committed: None, project: Project, attorney: User
) -> None:
    forget_models()  # no deferral: a daemon thread, as in the web process
    _coded(project, attorney, 6)
    assert current_model(project, attorney) is None  # returns before training
    [thread] = [t for t in threading.enumerate() if t.name == f"coding-model-{project.pk}"]
    thread.join(timeout=60)
    assert not thread.is_alive() and not is_training(project.pk)
    model = current_model(project, attorney)
    assert model is not None and model.terms == ("TAC.DENY.LIMIT_LINE",)
    [trained] = AuditEvent.objects.filter(action="declarations.coding_model.train")
    assert trained.details["version"] == model.version
