"""Scoring and formatting for main.py."""


def score(name):
    return sum(ord(c) for c in name) % 97


def line(name, points):
    return '%-8s %3d' % (name, points)
