"""Which kind of source an attribution names: role nouns, vague plurals, unnamed-but-specific.

The labels are the codebook's source types (``medialit.annotations.labels.SOURCE_TYPES``).
"""

from __future__ import annotations

import re

VAGUE = re.compile(
    r"\b(?:many|some|several|most|few|various|numerous|certain|other)\s+(?:\w+\s+)?"
    r"(?:observers|analysts|experts|commentators|critics|officials|scholars|diplomats|people|"
    r"pundits|sources|reports|voices|residents|insiders|watchers|americans|russians|europeans)\b"
    r"|\b(?:observers|analysts|experts|commentators|critics|scholars|pundits|insiders)\b"
    r"|^(?:moscow|washington|beijing|kyiv|kiev|delhi|new delhi|the west|russia|china|"
    r"the us|the united states|europe)$|\ballegedly\b|\bit is (?:said|believed)\b|\bsome say\b",
    re.IGNORECASE,
)
# Said of an unnamed source in the sentence: the reporter explains why it is unnamed.
ANON_CONTEXT = re.compile(
    r"\b(?:who (?:asked|spoke|requested)[^.]*?(?:not to be (?:named|identified)|anonymity)|"
    r"on (?:the )?condition of anonymity|(?:person|people|source|sources) (?:familiar with|"
    r"close to|briefed on))",
    re.IGNORECASE,
)
# An unnamed but specific source: 'a senior Nordic official', 'one diplomat'.
ANONYMOUS = re.compile(
    r"^(?:a|an|one|two|three|four)\s+(?:[\w-]+\s+){0,4}(?:official|diplomat|source|aide|"
    r"adviser|advisor|officer|insider|person|people|member|officials|diplomats|sources)\b",
    re.IGNORECASE,
)
DOCUMENT = re.compile(
    r"\b(?:report|release|readout|statement|paper|document|transcript|communiqu[eé]|"
    r"declaration|memo|letter|order|resolution|law|treaty|charter|white paper|decree|"
    r"press release|briefing|record|minutes|notes?)\b",
    re.IGNORECASE,
)
POLL = re.compile(r"\b(?:poll|survey|census|data|statistics|figures|study found)\b", re.I)
MEDIA = re.compile(
    r"\b(?:newspaper|magazine|daily|weekly|outlet|press|tv|television|channel|agency|"
    r"times|post|journal|guardian|reuters|tass|ria|xinhua|cnn|bbc|bloomberg|interfax|"
    r"global times|sputnik|rt|associated press|ap|afp|news)\b",
    re.IGNORECASE,
)
EXPERT = re.compile(
    r"\b(?:analyst|expert|professor|scholar|researcher|economist|engineer|historian|"
    r"think tank|institute|university|fellow|specialist|study|studies|scientist|academic|"
    r"author of)\b",
    re.IGNORECASE,
)
OFFICIAL = re.compile(
    r"\b(?:president|minister|spokes(?:man|woman|person)|secretary|ambassador|envoy|aide|"
    r"leader|council|councillor|government|kremlin|white house|state department|pentagon|"
    r"ministry|administration|chancellor|premier|pm|prime|senator|congress|parliament|duma|"
    r"nato|mayor|governor|official|officials|deputy|chief|general|commander|foreign|"
    r"board|authority|agency|department|office|embassy|mission)\b",
    re.IGNORECASE,
)
AUTHOR_OWN = re.compile(r"^(?:I|my|me|this writer|this author|see my|as I)\b", re.I)
PRONOUN = re.compile(r"^(?:he|she|they|it)$", re.IGNORECASE)
NAMED = re.compile(r"[A-Z][a-z]+(?:\s+(?:[A-Z]\.\s*)*[A-Z][a-z’'-]+){1,3}")


def source_type(source: str | None, context: str = "") -> tuple[str, float]:
    """The source type of ``source`` (with the sentence as context) and how sure the rule is.

    >>> source_type("many observers")[0], source_type("a senior official at the board")[0]
    ('vague', 'anonymous_specific')
    >>> source_type("the Kremlin spokesman Dmitry Peskov")[0], source_type("a White House release")
    ('official', ('document', 0.8))
    """
    if not source:
        return "vague", 0.4
    text = source.strip()
    if (ANONYMOUS.search(text) or ANON_CONTEXT.search(text)) and not NAMED.search(text):
        return "anonymous_specific", 0.8 if ANON_CONTEXT.search(context) else 0.6
    if VAGUE.search(text):
        return "vague", 0.7
    if AUTHOR_OWN.search(text):
        return "author_own", 0.6
    if POLL.search(text):
        return "poll_data", 0.7
    if DOCUMENT.search(text):
        return "document", 0.8
    if EXPERT.search(text):
        return "expert", 0.7
    if MEDIA.search(text) and not OFFICIAL.search(text):
        return "media", 0.6
    if OFFICIAL.search(text):
        return "official", 0.8
    if NAMED.search(text) or text[:1].isupper():
        if EXPERT.search(context) and not OFFICIAL.search(context):
            return "expert", 0.5
        return "official", 0.5  # a named person or body with no role noun: most often official
    return "vague", 0.4
