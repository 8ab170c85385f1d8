"""Evaluation: evidence from the browser, deterministic metrics and the judges; it imports no planner."""
