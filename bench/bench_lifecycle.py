"""Approval lifecycle through the workflow engine (the engine-only part of the full lifecycle).

For N applications of the ``parallel`` process with two co-departments it times each step as
the console runs it: start (on acceptance), 审查, the two parallel branch approvals and the
decision — every step locks the instance, restores the SpiffWorkflow state, completes the
task, opens the next tasks' time-limited cases, audits, notifies and serialises the state
back. Baselines in the same run:

* plain: the same number of steps as bare status updates (lock the row, UPDATE a status,
  one audit entry) — what an engine-less hard-coded state machine costs;
* spiff: SpiffWorkflow alone, in memory (restore + complete + serialise), no database.

Usage:
    python bench/bench_lifecycle.py [--n 200]

The full lifecycle (submit → accept → two parallel approvals → decide → seal) is added when
the applications and billing benches join this script.
"""

from __future__ import annotations

import argparse
import statistics

import _django

_django.setup("lifecycle")

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402

from zhengtong.core.audit.log import record  # noqa: E402
from zhengtong.core.org.models import Department  # noqa: E402
from zhengtong.services.applications import timeline  # noqa: E402
from zhengtong.services.applications.models import Application, Status  # noqa: E402
from zhengtong.services.catalog.models import ItemVersion, ServiceItem, VersionStatus  # noqa: E402
from zhengtong.services.workflow import definitions  # noqa: E402
from zhengtong.services.workflow.actions import complete_task, start_process  # noqa: E402
from zhengtong.services.workflow.models import ProcessConfig, TaskStatus, WorkTask  # noqa: E402
from zhengtong.testing import personas as P  # noqa: E402

STEPS = ("start", "review", "branch_1", "branch_2", "decide")


def _world():
    city = P.make_city()
    market = city.dept("market")
    zj = Department.objects.create(code="B-ZJ", name="基准住建局", region=city.city)
    xf = Department.objects.create(code="B-XF", name="基准消防", region=city.city)
    ProcessConfig.objects.create(process_key="parallel", branches=[
        {"department_code": "B-ZJ", "label": "住建审查", "limit_days": 5},
        {"department_code": "B-XF", "label": "消防审查", "limit_days": 7}])
    people = {"review": P.staff("b.approver", "审批员", market, roles=["approver"], totp=False),
              "branch_1": P.staff("b.zj", "住建审批员", zj, roles=["approver"], totp=False),
              "branch_2": P.staff("b.xf", "消防审批员", xf, roles=["approver"], totp=False),
              "decide": P.staff("b.head", "负责人", market, roles=["dept_head"], totp=False)}
    applicant = P.citizen("11010519491231002X", "李娟", "13800000001")
    item = ServiceItem.objects.create(code="BENCH-PAR", department=market, region=city.city)
    version = ItemVersion.objects.create(
        item=item, version=1, status=VersionStatus.PUBLISHED, name="基准并联事项", kind="licensing",
        legal_basis="—", conditions="—", process_description="—", statutory_days=20, promised_days=10,
        place="—", consultation="—", complaint="—", process_key="parallel", published_at=timezone.now())
    return people, applicant, version, market


def _applications(n: int, applicant, version, market, prefix: str = "B") -> list[Application]:
    now = timezone.now()
    return Application.objects.bulk_create([Application(
        number=f"{prefix}{i:08d}", item_version=version, department=market, applicant=applicant, applicant_name="李娟",
        applicant_id_number="11010519491231002X", contact_mobile="13800000001", status=Status.ACCEPTED,
        submitted_at=now, accepted_at=now) for i in range(n)])


def _run_engine(apps: list[Application], people: dict) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {s: [] for s in STEPS}
    for app in apps:
        with _django.Timer() as t:
            start_process(app, actor=people["review"])
        times["start"].append(t.seconds)
        for step in STEPS[1:]:
            task = WorkTask.objects.get(application=app, spec_name=step, status=TaskStatus.OPEN)
            with _django.Timer() as t:
                complete_task(task, actor=people[step], outcome="approve", comment="同意")
            times[step].append(t.seconds)
    return times


def _run_plain(apps: list[Application], people: dict) -> list[float]:
    """The same number of steps as bare status transitions: lock, UPDATE, one audit entry."""
    out = []
    for app in apps:
        for step in STEPS:
            with _django.Timer() as t, transaction.atomic():
                row = Application.objects.select_for_update().get(pk=app.pk)
                Application.objects.filter(pk=row.pk).update(status=Status.REVIEWING, updated_at=timezone.now())
                record("bench.step", actor=people["review"], obj=row, after={"step": step})
            out.append(t.seconds)
    return out


def _run_spiff(n: int) -> dict[str, float]:
    """SpiffWorkflow alone: per step restore + complete + engine steps + serialise (no database)."""
    restore = run = dump = 0.0
    steps = 0
    for _ in range(n):
        workflow, _allow = definitions.new_workflow("parallel", {"rejections": {}})
        workflow.do_engine_steps()
        state = definitions.dump(workflow)
        while True:
            with _django.Timer() as t1:
                workflow = definitions.restore(state, allow_scripts=False)
            ready = workflow.get_tasks(state=TaskState.READY, manual=True)
            if not ready:
                break
            with _django.Timer() as t2:
                ready[0].data[f"outcome_{ready[0].task_spec.name}"] = "approve"
                ready[0].run()
                workflow.do_engine_steps()
            with _django.Timer() as t3:
                state = definitions.dump(workflow)
            restore, run, dump, steps = restore + t1.seconds, run + t2.seconds, dump + t3.seconds, steps + 1
    return {"restore_ms": restore / steps * 1000, "complete_ms": run / steps * 1000, "dump_ms": dump / steps * 1000}


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    n = parser.parse_args().n
    timeline.issue_licence = lambda app, *, actor: None  # billing has its own bench
    people, applicant, version, market = _world()
    apps = _applications(n, applicant, version, market)
    with _django.Timer() as total:
        times = _run_engine(apps, people)
    for step in STEPS:
        _django.report("lifecycle", db=_django.vendor(), step=step, mean_ms=statistics.mean(times[step]) * 1000,
                       p95_ms=_p95(times[step]) * 1000)
    engine_step = statistics.mean([v for s in STEPS for v in times[s]])
    plain = _run_plain(_applications(n, applicant, version, market, prefix="P"), people)
    spiff = _run_spiff(min(n, 200))
    spiff_step = sum(spiff.values()) / 1000
    _django.report("lifecycle", db=_django.vendor(), n=n, lifecycles_per_s=n / total.seconds,
                   workflow_step_ms=engine_step * 1000, plain_step_ms=statistics.mean(plain) * 1000,
                   ratio=engine_step / statistics.mean(plain), **spiff,
                   spiff_share=spiff_step / engine_step)


if __name__ == "__main__":
    main()
