"""Static HTML and book pages rendered from the corpus (no kernel, no network needed to view)."""
