"""Instructor source -> student release (no keys) + grader bundle (keys, hidden checks)."""
