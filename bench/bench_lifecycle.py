"""Full application lifecycle: submit → accept → 审查 → two parallel approvals → decide → seal.

Every step runs the real action, as the public site and the console call it:

* submit: form checked against the item's JSON Schema, one PDF material uploaded and
  magic-byte checked, one material fetched from shared data, case number, acceptance clock;
* accept: the acceptance clock stops, the processing clock starts, the approval process
  (the ``parallel`` BPMN) starts and opens 审查;
* 审查, branch 1, branch 2: each locks the process instance, restores the SpiffWorkflow state,
  completes the task, opens the next tasks (each with its own time-limited case), audits,
  notifies the eligible staff and serialises the state back;
* decide: the decision task, ``do_decide`` (clocks finished, ratings invited) and the
  e-licence — PDF rendered, stored and signed with the department's SM2 seal.

Figures: mean and p95 per step, lifecycles per second in one process, and (``--workers``)
the throughput of several processes at once (PostgreSQL; SQLite serialises its writers).
Baselines in the same run:

* plain: the same number of steps as bare status updates (lock the row, UPDATE a status,
  one audit entry) — what an engine-less, clock-less state machine costs;
* spiff: SpiffWorkflow alone, in memory (restore + complete + serialise), no database.

Usage:
    python bench/bench_lifecycle.py [--n 200] [--workers 3]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import _django

_django.setup("lifecycle")

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connections, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402

from zhengtong.core.accounts.models import User  # noqa: E402
from zhengtong.core.audit.log import record  # noqa: E402
from zhengtong.core.db.compiled import CompiledQuery  # noqa: E402
from zhengtong.core.org.models import Department  # noqa: E402
from zhengtong.services.applications.actions import check_submit_application, do_accept  # noqa: E402
from zhengtong.services.applications.models import Application, Status  # noqa: E402
from zhengtong.services.applications.submit import Submission  # noqa: E402
from zhengtong.services.catalog.models import ItemVersion, Material, ServiceItem, VersionStatus  # noqa: E402
from zhengtong.services.workflow import definitions  # noqa: E402
from zhengtong.services.workflow.actions import complete_task  # noqa: E402
from zhengtong.services.workflow.models import ProcessConfig, TaskStatus, WorkTask  # noqa: E402
from zhengtong.testing import personas as P  # noqa: E402

STEPS = ("submit", "accept", "review", "branch_1", "branch_2", "decide")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SCHEMA = {"type": "object", "required": ["shop_name", "address"], "properties": {
    "shop_name": {"type": "string", "title": "店名", "maxLength": 40},
    "address": {"type": "string", "title": "经营场所", "maxLength": 100},
    "area": {"type": "number", "title": "面积（平方米）", "minimum": 1}}}
APPLICANTS = [("11010519491231002X", "李娟"), ("110105194912310038", "王强"), ("110105194912310046", "张敏"),
              ("110105194912310054", "赵磊")]


def _world() -> dict:
    city = P.make_city()
    market = city.dept("market")
    zj = Department.objects.create(code="B-ZJ", name="基准住建局", region=city.city)
    xf = Department.objects.create(code="B-XF", name="基准消防", region=city.city)
    ProcessConfig.objects.create(process_key="parallel", branches=[
        {"department_code": "B-ZJ", "label": "住建审查", "limit_days": 5},
        {"department_code": "B-XF", "label": "消防审查", "limit_days": 7}])
    people = {"accept": P.staff("b.clerk", "窗口人员", market, roles=["clerk"], totp=False),
              "review": P.staff("b.approver", "审批员", market, roles=["approver"], totp=False),
              "branch_1": P.staff("b.zj", "住建审批员", zj, roles=["approver"], totp=False),
              "branch_2": P.staff("b.xf", "消防审批员", xf, roles=["approver"], totp=False),
              "decide": P.staff("b.head", "负责人", market, roles=["dept_head"], totp=False)}
    # colleagues who are notified of every task in their department, as in a real bureau
    for i in range(3):
        P.staff(f"b.approver{i}", f"审批员{i}", market, roles=["approver"], totp=False)
    applicants = [P.citizen(id_number, name, f"1380000000{i}") for i, (id_number, name) in enumerate(APPLICANTS)]
    item = ServiceItem.objects.create(code="BENCH-PAR", department=market, region=city.city)
    version = ItemVersion.objects.create(
        item=item, version=1, status=VersionStatus.PUBLISHED, name="基准并联事项", kind="licensing",
        legal_basis="—", conditions="—", process_description="—", statutory_days=20, promised_days=10,
        place="—", consultation="—", complaint="—", process_key="parallel", form_schema=SCHEMA,
        published_at=timezone.now())
    place = Material.objects.create(version=version, name="场所证明", required=True, sort_order=1)
    Material.objects.create(version=version, name="营业执照", required=True, shared_source="市场主体登记库", sort_order=2)
    item.current = version
    item.save(update_fields=["current"])
    return {"people": {k: u.pk for k, u in people.items()}, "applicants": [u.pk for u in applicants],
            "version": version.pk, "market": market.pk, "material": place.pk}


# The driver's own reads (which task is open, did the case end in a sealed licence): outside
# the per-step timings, but in the lifecycle's CPU — compiled once, so that they cost what a
# prepared read costs, not the ORM's compilation (the platform's hot reads are compiled too).
_OPEN_TASKS = CompiledQuery(lambda app: WorkTask.objects.filter(application=app, status=TaskStatus.OPEN)
                            .order_by("pk").values_list("pk", "instance_id", "department_id"))
_SEALED = CompiledQuery(lambda app: Application.objects.filter(pk=app, status=Status.GRANTED, license__isnull=False)
                        .order_by().values_list("pk"))


def _lifecycle(world: dict, people: dict, applicant, version, times: dict[str, list[float]]) -> None:
    material = f"m{world['material']}"
    sub = Submission(applicant=applicant, data={"shop_name": "味道小馆", "address": "示范市中山路 8 号", "area": 60},
                     uploads={material: SimpleUploadedFile("place.pdf", PDF, content_type="application/pdf")})
    with _django.Timer() as t:
        app = check_submit_application(version, sub, actor=applicant)
    times["submit"].append(t.seconds)
    with _django.Timer() as t:
        do_accept(app, actor=people["accept"])
    times["accept"].append(t.seconds)
    for step in STEPS[2:]:
        who = people[step]
        rows = _OPEN_TASKS.all(app.pk)
        if step.startswith("branch"):
            rows = [row for row in rows if row[2] == who.department_id]
        pk, instance_id, department_id = rows[0]
        # what complete_task reads of the task it is given: which task, of which process and case
        task = WorkTask(pk=pk, instance_id=instance_id, application_id=app.pk, department_id=department_id)
        with _django.Timer() as t:
            complete_task(task, actor=who, outcome="approve", comment="同意")
        times[step].append(t.seconds)
    if not _SEALED.all(app.pk):
        raise SystemExit(f"lifecycle did not end in a sealed licence: {app.number}")


def _objects(world: dict) -> tuple[dict, list, ItemVersion]:
    people = {k: User.objects.select_related("department").get(pk=pk) for k, pk in world["people"].items()}
    applicants = list(User.objects.filter(pk__in=world["applicants"]))
    return people, applicants, ItemVersion.objects.get(pk=world["version"])


def _run(world: dict, n: int, offset: int = 0) -> dict[str, list[float]]:
    people, applicants, version = _objects(world)
    times: dict[str, list[float]] = {s: [] for s in STEPS}
    for i in range(n):
        _lifecycle(world, people, applicants[(offset + i) % len(applicants)], version, times)
    return times


_START = None  # the workers' common start line (a multiprocessing barrier, set in each worker)


def _start_line(barrier) -> None:
    global _START
    _START = barrier


def _worker(args: tuple[dict, int, int]) -> tuple[dict[str, list[float]], float, float, float]:
    """Warm up as the one-process run does (own connection, prepared statements), wait for the
    others, then run; returns the step times, when the measured run began and ended, and the
    CPU seconds it took (this process and its PostgreSQL backend)."""
    world, n, offset = args
    connections.close_all()  # a fresh connection per process
    _run(world, 3, offset + n)
    _START.wait()
    started = time.perf_counter()  # CLOCK_MONOTONIC: comparable between the processes
    cpu, db_cpu = time.process_time(), _db_cpu_seconds()
    times = _run(world, n, offset)
    ended = time.perf_counter()
    return times, started, ended, time.process_time() - cpu + _db_cpu_seconds() - db_cpu


def _run_plain(world: dict, n: int) -> list[float]:
    """The same number of steps as bare status transitions: lock, UPDATE, one audit entry."""
    people, applicants, version = _objects(world)
    now = timezone.now()
    apps = Application.objects.bulk_create([Application(
        number=f"P{i:08d}", item_version=version, department_id=world["market"], applicant=applicants[0],
        applicant_name="李娟", applicant_id_number="11010519491231002X", contact_mobile="13800000001",
        status=Status.ACCEPTED, submitted_at=now, accepted_at=now) for i in range(n)])
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


def _db_cpu_seconds() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (0 elsewhere)."""
    if connections["default"].vendor != "postgresql":
        return 0.0
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # the server runs on another host
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200, help="lifecycles in the single-process run")
    parser.add_argument("--workers", type=int, default=3,
                        help="processes in the concurrent run (0: skip); three use two cores best (bench/README.md)")
    args = parser.parse_args()
    db = _django.vendor()
    options = connections["default"].settings_dict.get("OPTIONS", {})
    # what the figures depend on beyond the code: the interpreter build and statement preparation
    _django.report("lifecycle", db=db, python=platform.python_version(), interpreter=sys.base_prefix,
                   prepared_statements=bool(options.get("server_side_binding") and options.get("prepare_threshold")))
    world = _world()
    _run(world, 3)  # warm-up: imports, templates, fonts, the first seal's key
    # the host's speed now (a fixed piece of pure-Python work), to tell a slower host from slower code
    yardstick = _django.yardstick()
    cpu, db_cpu = time.process_time(), _db_cpu_seconds()
    with _django.Timer() as total:
        times = _run(world, args.n)
    cpu, db_cpu = time.process_time() - cpu, _db_cpu_seconds() - db_cpu
    for step in STEPS:
        _django.report("lifecycle", db=db, step=step, mean_ms=statistics.mean(times[step]) * 1000,
                       p95_ms=_p95(times[step]) * 1000)
    single = args.n / total.seconds
    workflow_steps = [v for s in ("review", "branch_1", "branch_2") for v in times[s]]
    plain = statistics.mean(_run_plain(world, args.n))
    spiff = _run_spiff(min(args.n, 200))
    _django.report("lifecycle", db=db, n=args.n, lifecycles_per_s=single,
                   lifecycle_ms=total.seconds / args.n * 1000, workflow_step_ms=statistics.mean(workflow_steps) * 1000,
                   plain_step_ms=plain * 1000, ratio=statistics.mean(workflow_steps) / plain, **spiff,
                   spiff_share=sum(spiff.values()) / 1000 / statistics.mean(workflow_steps))
    # Where a lifecycle's time goes: this process's CPU, and the database server's for it
    # (PostgreSQL: the backend process's CPU from /proc; SQLite runs inside this process).
    # What the host's cores could carry at that CPU per lifecycle (PostgreSQL on the same
    # host): steadier than a throughput figure when the host's speed drifts between runs.
    cores = os.cpu_count() or 1
    cpu_ms = (cpu + db_cpu) / args.n * 1000
    _django.report("lifecycle", db=db, python_cpu_ms=cpu / args.n * 1000, db_backend_cpu_ms=db_cpu / args.n * 1000,
                   cores=cores, cpu_bound_per_s=cores * args.n / (cpu + db_cpu),
                   yardstick_ms=yardstick, cpu_in_yardsticks=cpu_ms / yardstick)
    if args.workers > 1:
        per = max(1, args.n // args.workers)
        connections.close_all()
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(args.workers, initializer=_start_line, initargs=(ctx.Barrier(args.workers),)) as pool:
            ran = pool.map(_worker, [(world, per, i * per) for i in range(args.workers)])
        results = [times for times, _start, _end, _cpu in ran]
        wall = max(end for _t, _s, end, _c in ran) - min(start for _t, start, _e, _c in ran)
        # CPU per lifecycle with every core busy: above the one-process figure when the cores
        # slow each other (shared physical cores, the host's other tenants) — the throughput's
        # ceiling is then cores ÷ this, not cpu_bound_per_s
        busy_ms = sum(cpu for *_rest, cpu in ran) / (per * args.workers) * 1000
        all_steps = {s: [v for r in results for v in r[s]] for s in STEPS}
        after = _django.yardstick()
        _django.report("lifecycle", db=db, workers=args.workers, n=per * args.workers,
                       lifecycles_per_s=per * args.workers / wall, vs_single=per * args.workers / wall / single,
                       cpu_ms_all_busy=busy_ms, yardstick_ms_after=after,
                       **{f"{s}_p95_ms": _p95(all_steps[s]) * 1000 for s in STEPS})


if __name__ == "__main__":
    main()
