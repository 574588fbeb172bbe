"""Demo process configurations: where the countersign steps and parallel branches go.

Defaults per process (any item), plus item-specific rows for the construction permit.
Loaded by the demo city after the catalog (see zhengtong/demo/loader.py)."""

from __future__ import annotations

from zhengtong.core.audit.log import record
from zhengtong.services.workflow.models import ProcessConfig
from zhengtong.services.workflow.routing import OWN_DEPARTMENT, validate_branches

CONFIGS: list[tuple[str, str, list[dict]]] = [
    ("countersign", "", [
        {"department_code": OWN_DEPARTMENT, "label": "业务科室会签", "limit_days": 3, "role": "approver"},
        {"department_code": "SF-SFJ", "label": "司法局合法性审查会签", "limit_days": 3, "role": "approver"},
    ]),
    ("parallel", "", [
        {"department_code": "SF-ZJJ", "label": "住建部门并联审查", "limit_days": 5, "role": "approver"},
        {"department_code": "SF-ZRZY", "label": "自然资源和规划部门并联审查", "limit_days": 5, "role": "approver"},
        {"department_code": "SF-YJJ", "label": "应急管理（消防）部门并联审查", "limit_days": 5, "role": "approver"},
    ]),
    ("parallel", "ZRZY-002", [
        {"department_code": "SF-ZRZY", "label": "规划条件审查", "limit_days": 7, "role": "approver"},
        {"department_code": "SF-STHJ", "label": "生态环境部门并联审查", "limit_days": 5, "role": "approver"},
    ]),
]


def load_process_configs() -> int:
    """Create the demo configurations that are missing; returns how many were created."""
    created = 0
    for key, item_code, branches in CONFIGS:
        _, made = ProcessConfig.objects.get_or_create(process_key=key, item_code=item_code,
                                                      defaults={"branches": validate_branches(branches)})
        created += made
    if created:
        record("workflow.demo.configured", role="demo", after={"configs": created})
    return created
