"""The codebook in code: label sets, the answer-key schema, key loading and figures from keys.

>>> from medialit.annotations import attributions
>>> "source_type" in attributions("putin-changed-stance").columns
True
"""

from medialit.annotations.attributions import attributions

__all__ = ["attributions"]
