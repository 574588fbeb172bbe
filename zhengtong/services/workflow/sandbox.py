"""A restricted script environment for SpiffWorkflow.

SpiffWorkflow evaluates gateway conditions and timer expressions with ``eval`` and runs
script tasks with ``exec``. Here an expression is parsed first and accepted only if every
AST node is on a small allow-list (names, constants, comparisons, boolean logic, and calls
of the vetted helpers below); it is then evaluated with no builtins. Script tasks and pre/post
scripts are refused unless the process was shipped with the code or approved by a system
administrator (``allow_scripts``), and even then run under the same node allow-list plus
plain assignments. Double-underscore names are never allowed, so attribute walks such as
``().__class__.__bases__`` are impossible.
"""

from __future__ import annotations

import ast
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment


class UnsafeExpression(ValueError):
    """An expression or script uses something outside the allow-list."""


_EXPRESSION_NODES: tuple[type, ...] = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.Compare,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot,
    ast.Name, ast.Load, ast.Constant, ast.List, ast.Tuple, ast.Subscript, ast.Call,
    ast.BinOp, ast.Add, ast.Sub,
)
_SCRIPT_NODES: tuple[type, ...] = _EXPRESSION_NODES + (ast.Module, ast.Assign, ast.Store, ast.Expr, ast.Dict)


def _rejected(context: dict) -> bool:
    return bool(context.get("rejections"))


def _outcome(context: dict, spec: str) -> str:
    return str(context.get(f"outcome_{spec}", ""))


# Helpers callable from conditions; each receives the task data first.
HELPERS = {"any_rejected": _rejected, "outcome": _outcome}


def check(source: str, *, script: bool = False) -> ast.AST:
    """Parse ``source`` and refuse any node outside the allow-list."""
    try:
        tree = ast.parse(source, mode="exec" if script else "eval")
    except SyntaxError as exc:
        raise UnsafeExpression(f"语法错误：{exc.msg}") from None
    allowed = _SCRIPT_NODES if script else _EXPRESSION_NODES
    for node in ast.walk(tree):
        if not isinstance(node, allowed):
            raise UnsafeExpression(f"不允许的表达式成分：{type(node).__name__}")
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            raise UnsafeExpression(f"不允许的名称：{node.id}")
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in HELPERS):
            raise UnsafeExpression("只能调用流程内置函数")
        if isinstance(node, ast.Call) and node.keywords:
            raise UnsafeExpression("流程内置函数不接受关键字参数")
    return tree


def _bound_helpers(context: dict) -> dict[str, Any]:
    return {name: (lambda *args, _f=fn: _f(context, *args)) for name, fn in HELPERS.items()}


class SafeEnvironment(BasePythonScriptEngineEnvironment):
    def __init__(self, *, allow_scripts: bool = False):
        super().__init__({})
        self.allow_scripts = allow_scripts

    def evaluate(self, expression, context, external_context=None):
        tree = check(expression)
        scope = {"__builtins__": {}, **dict(context), **_bound_helpers(context)}
        return eval(compile(tree, "<condition>", "eval"), scope)  # noqa: S307 — allow-listed AST, no builtins

    def execute(self, script, context, external_context=None):
        if not self.allow_scripts:
            raise UnsafeExpression("该流程未经系统管理员批准，不能运行脚本")
        tree = check(script, script=True)
        scope = {"__builtins__": {}, **dict(context), **_bound_helpers(context)}
        exec(compile(tree, "<script>", "exec"), scope)  # noqa: S102 — allow-listed AST, no builtins
        for key, value in scope.items():
            if key != "__builtins__" and key not in HELPERS and not callable(value):
                context[key] = value
        return True

    def call_service(self, context, **kwargs):
        raise UnsafeExpression("流程不能调用外部服务")


def script_engine(*, allow_scripts: bool = False) -> PythonScriptEngine:
    return PythonScriptEngine(environment=SafeEnvironment(allow_scripts=allow_scripts))
