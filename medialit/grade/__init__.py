"""Grading: read answers as data, run code in a sandbox, score, write gradebook and exports."""
