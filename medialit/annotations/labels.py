"""The one place for every label set of the codebook: stable ids, names, short tags, definitions."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


class UnknownLabel(ValueError):
    """A label id that is not in its label set; the message lists the allowed ids."""


@dataclass(frozen=True)
class Label:
    """One label: ``id`` never changes; ``tag`` is a short text shown beside a highlight."""

    id: str
    name: str
    tag: str
    definition: str
    category: str | None = None  # techniques only: the id of their technique category


@dataclass(frozen=True)
class LabelSet:
    """A named, ordered set of labels (for example the 15 policy frames).

    >>> FRAMES["security_defense"].name
    'Security and defense'
    >>> "security" in FRAMES
    False
    """

    id: str
    name: str
    description: str
    labels: tuple[Label, ...]

    def __iter__(self) -> Iterator[Label]:
        return iter(self.labels)

    def __len__(self) -> int:
        return len(self.labels)

    def __contains__(self, label_id: object) -> bool:
        return any(label.id == label_id for label in self.labels)

    def __getitem__(self, label_id: str) -> Label:
        for label in self.labels:
            if label.id == label_id:
                return label
        raise UnknownLabel(self.unknown_message(label_id))

    def ids(self) -> tuple[str, ...]:
        """The label ids in codebook order."""
        return tuple(label.id for label in self.labels)

    def unknown_message(self, label_id: object) -> str:
        """Explain that ``label_id`` is not in this set, suggest the closest id, list them all.

        >>> print(VERDICTS.unknown_message("suported"))
        'suported' is not one of the verdicts. Did you mean 'supported'? Allowed: supported, ...
        """
        message = f"{label_id!r} is not one of the {self.name.lower()}."
        close = closest(str(label_id), self.ids())
        if close:
            message += f" Did you mean {close[0]!r}?"
        return message + " Allowed: " + ", ".join(self.ids()) + "."

    def frame(self) -> pd.DataFrame:
        """The set as a table: id, name, tag, definition (and category for techniques)."""
        import pandas as pd

        rows = [
            {
                "id": label.id,
                "name": label.name,
                "tag": label.tag,
                "definition": label.definition,
                "category": label.category,
            }
            for label in self.labels
        ]
        table = pd.DataFrame(rows)
        if table["category"].isna().all():
            table = table.drop(columns="category")
        return table


def closest(value: str, choices: tuple[str, ...] | list[str]) -> list[str]:
    """The choice a mistyped id most likely meant (a prefix, else the most similar), or none.

    >>> closest("loaded", ("name_calling", "loaded_language"))
    ['loaded_language']
    """
    prefixed = [choice for choice in choices if value and choice.startswith(value.lower())]
    if len(prefixed) == 1:
        return prefixed
    return difflib.get_close_matches(value.lower(), list(choices), n=1, cutoff=0.6)


def _set(set_id: str, name: str, description: str, *rows: tuple[str, ...]) -> LabelSet:
    labels = tuple(Label(*row) for row in rows)
    return LabelSet(set_id, name, description, labels)


LAYERS = _set(
    "layers",
    "Layers",
    "The four layers of the codebook; every key entry belongs to exactly one.",
    (
        "framing",
        "Framing",
        "FRAME",
        "Which aspects of the story the text makes prominent, and what that invites readers to "
        "conclude about the problem, its causes, its morality and its remedy.",
    ),
    (
        "sourcing",
        "Sourcing",
        "SOURCE",
        "Who the text says its information comes from, how it signals that, and in whose words.",
    ),
    (
        "claims",
        "Claims",
        "CLAIM",
        "What kind of statement each sentence makes, how sure it sounds, whether it is worth "
        "checking, and what checking found.",
    ),
    (
        "persuasion",
        "Persuasion techniques",
        "TECH",
        "Recognisable moves in wording and argument that aim to win the reader over by means "
        "other than evidence alone.",
    ),
)

FRAMES = _set(
    "frames",
    "Policy frames",
    "The 15 frame dimensions of the Policy Frames Codebook (Boydstun et al. 2014).",
    (
        "economic",
        "Economic",
        "ECON",
        "Money, costs and benefits: trade, markets, energy deals, budgets, what a policy costs or "
        "earns.",
    ),
    (
        "capacity_resources",
        "Capacity and resources",
        "CAPAC",
        "Whether an actor has enough of what it needs (troops, weapons, supplies, industry, time, "
        "people) or is running short of it.",
    ),
    (
        "morality",
        "Morality",
        "MORAL",
        "Right and wrong in ethical or religious terms: duty, honour, decency, conscience.",
    ),
    (
        "fairness_equality",
        "Fairness and equality",
        "FAIR",
        "Whether people or countries are treated equally and justly: double standards, equal "
        "respect, who gets a fair share.",
    ),
    (
        "legality",
        "Legality, constitutionality and jurisprudence",
        "LEGAL",
        "Laws, treaties, charters, courts and rights: what is legally allowed, binding or in "
        "breach, and who has legal authority.",
    ),
    (
        "policy_prescription",
        "Policy prescription and evaluation",
        "POLICY",
        "Whether a particular policy works or would work, and which policy ought to be chosen.",
    ),
    (
        "crime_punishment",
        "Crime and punishment",
        "CRIME",
        "Rule-breaking and its penalties: offences, hacking and interference treated as "
        "wrongdoing, sanctions as punishment, enforcement.",
    ),
    (
        "security_defense",
        "Security and defense",
        "SECUR",
        "Threats to a country and how it protects itself: war, armies, weapons, deterrence, "
        "borders, military alliances.",
    ),
    (
        "health_safety",
        "Health and safety",
        "HEALTH",
        "Illness, pandemics, health care and the physical safety of people.",
    ),
    (
        "quality_of_life",
        "Quality of life",
        "LIFE",
        "How events touch people's everyday lives: income, prices, homes, comfort, the chance to "
        "live normally.",
    ),
    (
        "cultural_identity",
        "Cultural identity",
        "CULT",
        "The traditions, language, history and sense of self of a people or nation.",
    ),
    (
        "public_opinion",
        "Public opinion",
        "PUBLIC",
        "What the public thinks or feels: polls, voters' mood, protests, popular support.",
    ),
    (
        "political",
        "Political",
        "POLIT",
        "Politics as a contest for power: parties, elections, leaders' standing, the domestic "
        "motives behind a move.",
    ),
    (
        "external_regulation",
        "External regulation and reputation",
        "EXTERN",
        "How a country deals with other countries and how it is seen by them: diplomacy, summits, "
        "foreign policy, international standing.",
    ),
    (
        "other_frame",
        "Other",
        "OTHER",
        "A frame that none of the fourteen above describes; the rationale says what it is.",
    ),
)

ENTMAN_FUNCTIONS = _set(
    "entman_functions",
    "Entman's framing functions",
    "The four things a frame can do (Entman 1993); a passage may do several or none.",
    (
        "problem_definition",
        "Problem definition",
        "PROBLEM",
        "Presents a state of affairs as a problem for someone: a word names a harm, risk, threat, "
        "tension, grievance, failure or offence at stake. A neutral topic is not enough.",
    ),
    (
        "causal_interpretation",
        "Causal interpretation",
        "CAUSE",
        "Says one thing makes another happen: a causal connective (because, due to, after all), "
        "a sequence given as cause (responded to ... by) or a causative verb (put pressure on). "
        "Not a bare 'after', a conditional, or 'therefore' before the author's own inference.",
    ),
    (
        "moral_evaluation",
        "Moral evaluation",
        "JUDGE",
        "Grades actors or their actions as good or bad: praise, blame, approval, condemnation "
        "(a policy grade included).",
    ),
    (
        "treatment_recommendation",
        "Treatment recommendation",
        "REMEDY",
        "Proposes or demands an action by an actor: should, must, needs to, an imperative, or a "
        "verb or noun of proposing or demanding, reported or rejected demands included; a "
        "reported plan or intention is not one.",
    ),
)

FRAME_MODES = _set(
    "frame_modes",
    "Episodic or thematic",
    "Iyengar's (1991) distinction between the case and the context.",
    (
        "episodic",
        "Episodic",
        "EPISODE",
        "Reports a particular occurrence you could date: this remark, this meeting, this day. "
        "Responsibility tends to fall on the individuals in the story.",
    ),
    (
        "thematic",
        "Thematic",
        "THEME",
        "Sets events in a wider context: trends, history, structures, the author's analysis and "
        "forecasts, polls and figures. Responsibility tends to fall on governments and systems.",
    ),
)

QUOTE_KINDS = _set(
    "quote_kinds",
    "Quote kinds",
    "How the text reports what a source said (after Pareti 2016).",
    (
        "direct",
        "Direct quote",
        "DIRECT",
        "The source's own words, inside quotation marks or set apart as a block quotation.",
    ),
    (
        "indirect",
        "Indirect quote",
        "INDIRECT",
        "The source's message in the writer's words, without quotation marks: a paraphrase or "
        "summary.",
    ),
    (
        "mixed",
        "Mixed quote",
        "MIXED",
        "A paraphrase with some of the source's own words in quotation marks inside it.",
    ),
    (
        "pointer",
        "Pointer only",
        "POINTER",
        "A reference that reports nothing of what the source says: a bare link, 'see my blog'.",
    ),
)

SOURCE_TYPES = _set(
    "source_types",
    "Source types",
    "Who the information comes from: the course's own set of types.",
    (
        "official",
        "Named official or official body",
        "OFFICIAL",
        "A named person speaking for a government, party or international body, or the body "
        "itself as named (a ministry, the Kremlin, NATO).",
    ),
    (
        "expert",
        "Named expert or analyst",
        "EXPERT",
        "A named scholar, analyst or think-tank author speaking from expertise rather than office.",
    ),
    (
        "media",
        "Named media outlet or publication",
        "MEDIA",
        "A named newspaper, broadcaster or website given as the place the information comes from.",
    ),
    (
        "document",
        "Document or report",
        "DOC",
        "A written record: an intelligence report, a readout, a press release, a paper, a treaty, "
        "a law.",
    ),
    ("poll_data", "Poll or data", "DATA", "A survey, poll or set of figures."),
    (
        "vague",
        "Unnamed or vague",
        "VAGUE",
        "A source no reader could identify or check: unnamed people ('many observers'), unnamed "
        "reports, or a capital spoken of as one mind ('Moscow sees').",
    ),
    (
        "anonymous_specific",
        "Unnamed but specific",
        "ANON",
        "An unnamed source described closely enough to tell what kind of access it claims: 'a "
        "senior Nordic official', 'a person familiar with the talks'. Journalism norms ask why it "
        "is unnamed; a vague source ('many observers') gives no such handle.",
    ),
    (
        "hyperlink_only",
        "Hyperlink only",
        "LINK",
        "A link is the only sign of a source: the words name no one. In our captures the address "
        "was not kept, so readers cannot follow it at all.",
    ),
    (
        "author_own",
        "The author's own earlier writing",
        "SELF",
        "The author points to something he or she wrote before.",
    ),
)

CLAIM_KINDS = _set(
    "claim_kinds",
    "Claim kinds",
    "What kind of statement a sentence (or part of one) makes.",
    (
        "verifiable_fact",
        "Verifiable fact",
        "FACT",
        "A statement about the world that records could confirm or refute: who said what, what "
        "happened when, how many. Verifiable means checkable, not true.",
    ),
    (
        "opinion",
        "Opinion or evaluation",
        "OPINION",
        "A judgement or interpretation that records alone cannot settle: praise, blame, "
        "characterisation, a reading of someone's motives.",
    ),
    (
        "prediction",
        "Prediction",
        "PREDICT",
        "A statement about what will or will not happen, or what is or is not possible.",
    ),
    (
        "prescription",
        "Prescription",
        "PRESCRIBE",
        "A statement of what someone should, must or needs to do.",
    ),
    (
        "no_claim",
        "No claim",
        "NONE",
        "Asserts nothing that could be true or false: a question, a heading, a transition.",
    ),
)

CHECK_WORTHINESS = _set(
    "check_worthiness",
    "Check-worthiness",
    "Whether a claim deserves checking (after ClaimBuster, Hassan et al. 2017).",
    (
        "not_factual",
        "Not factual",
        "NFS",
        "States no fact that could be checked: opinions, prescriptions, questions.",
    ),
    (
        "unimportant_fact",
        "Unimportant factual",
        "UFS",
        "A checkable fact that the argument does not lean on and readers would not need checked.",
    ),
    (
        "check_worthy",
        "Check-worthy factual",
        "CFS",
        "A checkable fact (a report of what a named source said included), or a prediction that "
        "names an outcome a later record could settle, that the argument leans on.",
    ),
)

VOICES = _set(
    "voices",
    "Voices",
    "Whose claim it is: the author's, or a source's that the text reports.",
    ("author", "Author", "AUTHOR", "The author asserts it in his or her own voice."),
    (
        "attributed",
        "Attributed",
        "ATTRIB",
        "The text reports that a source says or believes it, without taking it on.",
    ),
    (
        "endorsed",
        "Endorsed",
        "ENDORSE",
        "A source's claim that the author takes on, with a signal in the text: praise of it, a cue "
        "that presents it as true (pointed out, concede), an 'as X put it', or the author "
        "restating or building on it.",
    ),
)

STANCE_MARKERS = _set(
    "stance_markers",
    "Hedges and boosters",
    "Words that show how committed the writer is to a claim (Hyland 2005).",
    (
        "hedge",
        "Hedge",
        "HEDGE",
        "Holds back full commitment and leaves room for doubt: 'conceivably', 'may', 'seems', "
        "or an approximator such as 'generally'.",
    ),
    (
        "booster",
        "Booster",
        "BOOST",
        "Shuts out doubt or exceptions: 'no doubt', 'clearly', 'make no mistake', 'never', 'no "
        "matter what'. Words that only make a thing bigger ('very', 'immense') are not boosters.",
    ),
)

VERDICTS = _set(
    "verdicts",
    "Verdicts",
    "What checking a claim found, judged as the claim stood when written; every verdict but "
    "'unverified' names its evidence.",
    (
        "supported",
        "Supported",
        "TRUE",
        "The record confirms the checkable content as the text states it (a forecast: events bore "
        "it out). Interpretive words in the span are named in the evidence, not judged.",
    ),
    (
        "partly_supported",
        "Partly supported",
        "PART",
        "One checkable part is confirmed and another is contradicted or goes beyond the record (a "
        "wrong detail, a stronger wording than the source used); the evidence says which part.",
    ),
    (
        "contradicted",
        "Contradicted",
        "FALSE",
        "The record shows the claim false as it stood when written: a wrong fact, a misreported "
        "statement, or a claim about what was possible that the event itself refuted soon after.",
    ),
    (
        "unverifiable",
        "Unverifiable",
        "UNKNOWN",
        "We looked and the record cannot settle it: it names nothing traceable, or the record is "
        "not public. The evidence note says where we looked.",
    ),
    (
        "overtaken_by_events",
        "Overtaken by events",
        "EVENTS",
        "A forecast, or a statement of intentions or plans accurate when written, that events "
        "after publication went against; the verdict gives the date of those events.",
    ),
    (
        "unverified",
        "Not yet checked",
        "UNCHECKED",
        "A record exists that could settle it, but nobody has compared them yet; the note says "
        "where a checker should start. The key makes no judgement.",
    ),
)

TECHNIQUE_CATEGORIES = _set(
    "technique_categories",
    "Technique categories",
    "The six families of persuasion techniques (Piskorski et al. 2023).",
    (
        "attack_on_reputation",
        "Attack on reputation",
        "ATTACK",
        "Moves that weaken a person or group's standing instead of answering their argument.",
    ),
    (
        "justification",
        "Justification",
        "JUSTIFY",
        "Moves that support a position by appeal to something other than evidence for it.",
    ),
    (
        "simplification",
        "Simplification",
        "SIMPLIFY",
        "Moves that make a complex situation look simpler than it is.",
    ),
    (
        "distraction",
        "Distraction",
        "DISTRACT",
        "Moves that turn attention away from the point at issue.",
    ),
    (
        "call",
        "Call",
        "CALL",
        "Moves that push the reader to accept, act or stop thinking, rather than reason.",
    ),
    (
        "manipulative_wording",
        "Manipulative wording",
        "WORDING",
        "Word choices that sway by their emotional force, vagueness or scale.",
    ),
)

TECHNIQUES = _set(
    "techniques",
    "Persuasion techniques",
    "The 23 persuasion techniques of SemEval-2023 Task 3 (Piskorski et al. 2023).",
    (
        "name_calling",
        "Name calling or labeling",
        "NAME",
        "Attaching a label the audience despises or admires to a person, group or idea, in place "
        "of an argument.",
        "attack_on_reputation",
    ),
    (
        "guilt_by_association",
        "Guilt by association",
        "ASSOC",
        "Discrediting someone by linking them to a person, group or idea the audience already "
        "condemns.",
        "attack_on_reputation",
    ),
    (
        "doubt",
        "Doubt",
        "DOUBT",
        "Casting doubt on someone's character, honesty or competence so that what they say or do "
        "counts for less.",
        "attack_on_reputation",
    ),
    (
        "appeal_to_hypocrisy",
        "Appeal to hypocrisy",
        "HYPOC",
        "Attacking an opponent as a hypocrite: they do, or did, what they now condemn.",
        "attack_on_reputation",
    ),
    (
        "questioning_reputation",
        "Questioning the reputation",
        "REPUT",
        "Painting the target in a bad light in general (weak, foolish, untrustworthy) with remarks "
        "beside the issue at hand.",
        "attack_on_reputation",
    ),
    (
        "flag_waving",
        "Flag waving",
        "FLAG",
        "Justifying a position by the pride, identity or interests of a group: a nation, a people, "
        "an alliance.",
        "justification",
    ),
    (
        "appeal_to_authority",
        "Appeal to authority",
        "AUTH",
        "Treating a claim as settled because an authority said it, when the authority's word alone "
        "is not enough.",
        "justification",
    ),
    (
        "appeal_to_popularity",
        "Appeal to popularity",
        "POPULAR",
        "Treating a claim or course as right because many people, or most, hold or follow it.",
        "justification",
    ),
    (
        "appeal_to_values",
        "Appeal to values",
        "VALUES",
        "Supporting a position by tying it to values the audience cherishes (peace, freedom, "
        "tradition) without showing the tie.",
        "justification",
    ),
    (
        "appeal_to_fear",
        "Appeal to fear or prejudice",
        "FEAR",
        "Winning support or opposition by stirring fear, anxiety or prejudice about what happens "
        "otherwise.",
        "justification",
    ),
    (
        "causal_oversimplification",
        "Causal oversimplification",
        "ONECAUSE",
        "Giving one cause for an outcome that has many, or taking what came first for what caused "
        "it.",
        "simplification",
    ),
    (
        "false_dilemma",
        "False dilemma or no choice",
        "DILEMMA",
        "Offering two options as the only ones when there are more, or one as the only possible "
        "course.",
        "simplification",
    ),
    (
        "consequential_oversimplification",
        "Consequential oversimplification",
        "SLOPE",
        "Claiming that one step will set off a chain of consequences, usually bad, without showing "
        "why it would.",
        "simplification",
    ),
    (
        "straw_man",
        "Straw man",
        "STRAW",
        "Replacing an opponent's position with a weaker or distorted version and refuting that.",
        "distraction",
    ),
    (
        "red_herring",
        "Red herring",
        "HERRING",
        "Bringing in an unrelated topic that draws attention away from the point at issue.",
        "distraction",
    ),
    (
        "whataboutism",
        "Whataboutism",
        "WHATABOUT",
        "Meeting a criticism by pointing to the critic's own misdeeds instead of answering it.",
        "distraction",
    ),
    (
        "slogans",
        "Slogans",
        "SLOGAN",
        "A short, striking phrase that asks for agreement or action instead of giving reasons.",
        "call",
    ),
    (
        "conversation_killer",
        "Conversation killer",
        "KILLER",
        "Words that close the discussion and discourage further thought ('end of story').",
        "call",
    ),
    (
        "appeal_to_time",
        "Appeal to time",
        "TIME",
        "Urging action because the moment demands it: the time has come, it is now or never, a "
        "deadline looms. A claim that time favours one side is an argument, not this call.",
        "call",
    ),
    (
        "loaded_language",
        "Loaded language",
        "LOADED",
        "Words with strong emotional charge, positive or negative, chosen to sway the reader: a "
        "plainer word exists, and the chosen one adds a feeling about or a judgement of an actor.",
        "manipulative_wording",
    ),
    (
        "obfuscation",
        "Obfuscation, vagueness or confusion",
        "OBSCURE",
        "Wording so unclear or ambiguous that readers can take it as they like, or cannot tell "
        "what exactly is claimed.",
        "manipulative_wording",
    ),
    (
        "exaggeration_minimisation",
        "Exaggeration or minimisation",
        "SCALE",
        "Making something bigger, better or worse than it is, or playing its importance down.",
        "manipulative_wording",
    ),
    (
        "repetition",
        "Repetition",
        "REPEAT",
        "Saying the same word, phrase or idea again and again so that it sticks, without adding "
        "support.",
        "manipulative_wording",
    ),
)

LABEL_SETS: dict[str, LabelSet] = {
    label_set.id: label_set
    for label_set in (
        LAYERS,
        FRAMES,
        ENTMAN_FUNCTIONS,
        FRAME_MODES,
        QUOTE_KINDS,
        SOURCE_TYPES,
        CLAIM_KINDS,
        CHECK_WORTHINESS,
        VOICES,
        STANCE_MARKERS,
        VERDICTS,
        TECHNIQUE_CATEGORIES,
        TECHNIQUES,
    )
}

# Which label sets each layer uses (the schema maps its fields onto these).
LAYER_LABEL_SETS: dict[str, tuple[str, ...]] = {
    "framing": ("frames", "entman_functions", "frame_modes"),
    "sourcing": ("source_types", "quote_kinds"),
    "claims": ("claim_kinds", "check_worthiness", "voices", "stance_markers", "verdicts"),
    "persuasion": ("techniques", "technique_categories"),
}


def label_set(set_id: str) -> LabelSet:
    """The label set called ``set_id``.

    >>> len(label_set("techniques")), len(label_set("technique_categories"))
    (23, 6)
    """
    try:
        return LABEL_SETS[set_id]
    except KeyError:
        allowed = ", ".join(LABEL_SETS)
        raise UnknownLabel(f"There is no label set {set_id!r}. Label sets: {allowed}.") from None


def set_of(label_id: str) -> LabelSet:
    """The label set a label id belongs to (ids are unique across all sets).

    >>> set_of("booster").id
    'stance_markers'
    """
    for candidate in LABEL_SETS.values():
        if label_id in candidate:
            return candidate
    every = [label.id for candidate in LABEL_SETS.values() for label in candidate]
    close = closest(str(label_id), every)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise UnknownLabel(f"{label_id!r} is not a label in the codebook.{hint}")


def get_label(label_id: str) -> Label:
    """The label with this id, from whichever set holds it.

    >>> get_label("whataboutism").category
    'distraction'
    """
    return set_of(label_id)[label_id]


def category_of(technique_id: str) -> str:
    """The category id of a persuasion technique.

    >>> category_of("loaded_language")
    'manipulative_wording'
    """
    category = TECHNIQUES[technique_id].category
    assert category is not None
    return category


def techniques_in(category_id: str) -> tuple[str, ...]:
    """The technique ids of one category, in codebook order.

    >>> techniques_in("distraction")
    ('straw_man', 'red_herring', 'whataboutism')
    """
    TECHNIQUE_CATEGORIES[category_id]  # raises UnknownLabel for a bad id
    return tuple(label.id for label in TECHNIQUES if label.category == category_id)


def codebook_table(set_id: str) -> str:
    """An HTML table of one label set (name, short tag, definition, category) for the book pages.

    >>> '<th scope="col">Definition</th>' in codebook_table("frame_modes")
    True
    """
    from html import escape

    chosen = label_set(set_id)
    has_category = any(label.category for label in chosen)
    head = ["Label", "Tag", "Definition"] + (["Category"] if has_category else [])
    rows = []
    for label in chosen:
        cells = [
            f'<th scope="row">{escape(label.name)}<br><code>{label.id}</code></th>',
            f"<td><code>{label.tag}</code></td>",
            f"<td>{escape(label.definition)}</td>",
        ]
        if has_category:
            category = TECHNIQUE_CATEGORIES[label.category].name if label.category else ""
            cells.append(f"<td>{escape(category)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    header = "".join(f'<th scope="col">{name}</th>' for name in head)
    return (
        f'<table class="table codebook-table"><caption>{escape(chosen.name)}: '
        f"{escape(chosen.description)}</caption><thead><tr>{header}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def category_map() -> dict[str, str]:
    """Each technique id mapped to its category id: the ``categories`` that give half credit in
    ``medialit.match.match_label`` for a technique of the right category.

    >>> category_map()["doubt"], len(category_map())
    ('attack_on_reputation', 23)
    """
    return {label.id: category_of(label.id) for label in TECHNIQUES}
