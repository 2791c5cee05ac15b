"""Classes defined in the module: their methods, what their instances' attributes are, and which
make processes (subclasses of Process)."""

from __future__ import annotations

import ast

from portcheck.lint.apis import Kind, canonical
from portcheck.lint.scopes import Binding, FunctionNode, positional_parameters
from portcheck.lint.values import UNKNOWN, Known, Local, Method, Obj, Ref, unify

PROCESS_CLASSES = frozenset(
    {
        "multiprocessing.Process",
        "multiprocessing.ForkProcess",
        "multiprocessing.SpawnProcess",
        "multiprocessing.ForkServerProcess",
    }
)


class Classes:
    """What the module's classes are; a part of Inference."""

    def method_class(self, function: FunctionNode) -> ast.ClassDef | None:
        """The class `function` is a method of, if it is defined in a class body."""
        parent = self.scopes.parent.get(function)
        return parent if isinstance(parent, ast.ClassDef) and not isinstance(function, ast.Lambda) else None

    def is_process_class(self, cls: ast.ClassDef) -> bool:
        if cls not in self._process_classes:
            self._process_classes[cls] = False  # a class cycle makes no process class
            self._process_classes[cls] = any(self._makes_processes(base) for base in cls.bases)
        return self._process_classes[cls]

    def _makes_processes(self, base: ast.expr) -> bool:
        known = self.value(base)
        if isinstance(known, Ref):
            return canonical(known.qualname) in PROCESS_CLASSES
        if isinstance(known, Method) and isinstance(known.owner, Obj):
            return known.owner.kind is Kind.CONTEXT and known.name == "Process"
        return isinstance(known, Local) and isinstance(known.node, ast.ClassDef) and self.is_process_class(known.node)

    def attribute_bindings(self, cls: ast.ClassDef) -> dict[str, list[Binding]]:
        """Every place that binds an attribute of `cls`'s instances, or a name in its body, by name."""
        if cls not in self._class_attributes:
            self._class_attributes[cls] = attribute_bindings(cls)
        return self._class_attributes[cls]

    def class_attribute(self, cls: ast.ClassDef, name: str) -> Known:
        """What `self.name` is in `cls`'s methods, when every assignment to it agrees."""
        return self._memo(("attribute", cls, name), lambda: self._class_attribute(cls, name))

    def _class_attribute(self, cls: ast.ClassDef, name: str) -> Known:
        bindings = self.attribute_bindings(cls).get(name)
        if not bindings:
            for base in cls.bases:
                known = self.value(base)
                if isinstance(known, Local) and isinstance(known.node, ast.ClassDef):
                    return self.class_attribute(known.node, name)
            return UNKNOWN
        return unify([self._bound(binding) for binding in bindings])


def method_of(cls: ast.ClassDef, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    for statement in cls.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name == name:
            return statement
    return None


def decorated(function: FunctionNode, name: str) -> bool:
    if isinstance(function, ast.Lambda):
        return False
    return any(isinstance(d, ast.Name) and d.id == name for d in function.decorator_list)


def is_static(function: FunctionNode) -> bool:
    return decorated(function, "staticmethod")


def is_classmethod(function: FunctionNode) -> bool:
    return decorated(function, "classmethod")


def attribute_bindings(cls: ast.ClassDef) -> dict[str, list[Binding]]:
    """Every `self.name = value` in a class's methods, and every name its body binds."""
    found: dict[str, list[Binding]] = {}

    def bind(target: ast.expr, binding: Binding, owner: str | None) -> None:
        if owner is None and isinstance(target, ast.Name):
            found.setdefault(target.id, []).append(binding)
        elif (
            owner is not None
            and isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == owner
        ):
            found.setdefault(target.attr, []).append(binding)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for index, element in enumerate(target.elts):
                bind(element, Binding(binding.how, binding.node, (*binding.path, index)), owner)

    for statement in cls.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                bind(target, Binding("value", statement.value), None)
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            bind(statement.target, Binding("value", statement.value), None)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            parameters = positional_parameters(statement)
            if not parameters or is_static(statement):
                continue
            for node in ast.walk(statement):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        bind(target, Binding("value", node.value), parameters[0])
                elif isinstance(node, ast.AnnAssign) and node.value is not None:
                    bind(node.target, Binding("value", node.value), parameters[0])
    return found
