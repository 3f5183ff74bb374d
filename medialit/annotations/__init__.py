"""The codebook in code: label sets, the answer-key schema, key loading and figures from keys."""
