"""Findings written out: one line each, JSON, or SARIF 2.1.0 for GitHub code scanning.

Columns count characters from 1 in all three (SARIF's run says so: its default is UTF-16 code units).
A file's diagnostic (MPC001-MPC003) is a result like a finding, at level "error".
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from portcheck import __version__
from portcheck.lint.findings import DIAGNOSTIC_CODES, DIAGNOSTICS, Finding
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
    names = {
        **{diagnostic.code: diagnostic.name for diagnostic in DIAGNOSTICS},
        **{rule.code: rule.name for rule in RULES},
    }
    return {
        "path": finding.path,
        "line": finding.line,
        "col": finding.col,
        "code": finding.code,
        "name": names[finding.code],
        "message": finding.message,
    }


def sarif(findings: list[Finding]) -> dict[str, Any]:
    """A SARIF log of one run: every rule and file diagnostic described, every finding a result pointing at it."""
    diagnostics = [
        {
            "id": diagnostic.code,
            "name": diagnostic.name,
            "shortDescription": {"text": diagnostic.what},
            "helpUri": f"{RULES_PAGE}#{rule_anchor(diagnostic.code)}",
            "defaultConfiguration": {"level": "error"},
        }
        for diagnostic in DIAGNOSTICS
    ]
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
    described = diagnostics + rules
    index = {entry["id"]: position for position, entry in enumerate(described)}
    results = [
        {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": "error" if finding.code in DIAGNOSTIC_CODES else "warning",
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
    driver = {"name": "portcheck lint", "version": __version__, "informationUri": RULES_PAGE, "rules": described}
    run = {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _artifact(path: str) -> dict[str, str]:
    """A relative path stays relative to the checkout (%SRCROOT%), as GitHub expects; an absolute one is a file URI."""
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": pure.as_uri()}
    return {"uri": pure.as_posix(), "uriBaseId": "%SRCROOT%"}
