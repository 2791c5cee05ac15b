"""Scoring and formatting for main.py."""


def score(name: str) -> int:
    return sum(ord(c) for c in name) % 89


def line(name: str, points: int) -> str:
    return f'{name:<8} {points:3d}'
