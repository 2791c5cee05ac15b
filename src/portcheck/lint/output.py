"""Findings written out: one line each, JSON, or SARIF 2.1.0 for GitHub code scanning."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from portcheck import __version__
from portcheck.lint.engine import Finding
from portcheck.lint.rules import RULES

FORMATS = ("text", "json", "sarif")
HOME = "https://github.com/multiprocessing-twins/multiprocessing-twins"
RULES_PAGE = f"{HOME}/blob/main/docs/lint.md"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def rule_anchor(code: str) -> str:
    return code.lower()


def render(findings: list[Finding], form: str) -> str:
    if form == "json":
        return json.dumps([_as_json(finding) for finding in findings], indent=2)
    if form == "sarif":
        return json.dumps(sarif(findings), indent=2)
    return "\n".join(str(finding) for finding in findings)


def _as_json(finding: Finding) -> dict[str, Any]:
    names = {rule.code: rule.name for rule in RULES}
    return {
        "path": finding.path,
        "line": finding.line,
        "col": finding.col,
        "code": finding.code,
        "name": names[finding.code],
        "message": finding.message,
    }


def sarif(findings: list[Finding]) -> dict[str, Any]:
    """A SARIF log of one run: every rule described, every finding a result pointing at its rule."""
    index = {rule.code: position for position, rule in enumerate(RULES)}
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary()},
            "fullDescription": {"text": rule.what()},
            "help": {"text": rule.why, "markdown": rule.why},
            "helpUri": f"{RULES_PAGE}#{rule_anchor(rule.code)}",
            "defaultConfiguration": {"level": "warning"},
        }
        for rule in RULES
    ]
    results = [
        {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": "warning",
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact(finding.path),
                        "region": {"startLine": finding.line, "startColumn": finding.col},
                    }
                }
            ],
        }
        for finding in findings
    ]
    driver = {"name": "portcheck lint", "version": __version__, "informationUri": RULES_PAGE, "rules": rules}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}


def _artifact(path: str) -> dict[str, str]:
    """A relative path stays relative to the checkout (%SRCROOT%), as GitHub expects; an absolute one is a file URI."""
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": pure.as_uri()}
    return {"uri": pure.as_posix(), "uriBaseId": "%SRCROOT%"}
