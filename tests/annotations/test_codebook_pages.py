"""The codebook pages: every quoted example is verbatim and cited to the right paragraph."""

from __future__ import annotations

from pathlib import Path

from medialit import corpus
from medialit.annotations import labels
from medialit.annotations.examples import CODEBOOK_PAGES, codebook_examples

PAGES = ["index", "framing", "sourcing", "claims", "persuasion", "decision-guide"]


def test_the_pages_exist_and_are_in_the_table_of_contents():
    toc = (Path(__file__).resolve().parents[2] / "_toc.yml").read_text(encoding="utf-8")
    for page in PAGES:
        assert (CODEBOOK_PAGES / f"{page}.md").is_file(), page
        assert f"book/codebook/{page}" in toc, page


def test_every_quoted_example_is_verbatim_in_its_paragraph():
    examples = codebook_examples()
    assert len(examples) > 80
    wrong = []
    for example in examples:
        if not example.paragraph_id:
            wrong.append(f"{example.page}:{example.line}: no paragraph id after the quote")
            continue
        article_id = example.paragraph_id.split(":")[0]
        places = {loc.paragraph_id for loc in corpus.locate_all(example.quote, article_id)}
        if example.paragraph_id not in places:
            wrong.append(
                f"{example.page}:{example.line}: {example.quote[:50]!r} is not verbatim "
                f"in {example.paragraph_id} (found in: {sorted(places) or 'nowhere'})"
            )
    assert wrong == [], "\n".join(wrong)


def test_a_wrong_quote_would_be_caught(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "*[Modi said: It is fortunate]{.corpus-quote}* (`putin-changed-stance:p04`)\n"
        "[no id here]{.corpus-quote}\n",
        encoding="utf-8",
    )
    first, second = codebook_examples(tmp_path)
    assert first.quote == "Modi said: It is fortunate" and first.line == 1
    assert corpus.locate_all(first.quote, "putin-changed-stance") == []
    assert second.paragraph_id == "" and second.line == 2


def test_every_layer_page_gives_examples_for_its_labels():
    text = {page: (CODEBOOK_PAGES / f"{page}.md").read_text(encoding="utf-8") for page in PAGES}
    expectations = {
        "framing": ["frames", "entman_functions", "frame_modes"],
        "sourcing": ["quote_kinds", "source_types"],
        "claims": ["claim_kinds", "check_worthiness", "voices", "stance_markers", "verdicts"],
        "persuasion": ["techniques"],
    }
    for page, set_ids in expectations.items():
        for set_id in set_ids:
            assert f'codebook_table("{set_id}")' in text[page], (page, set_id)
            for label in labels.label_set(set_id):
                if label.id == "other_frame":
                    continue
                assert f"**{label.name}" in text[page], (page, label.name)


def test_every_framework_is_in_the_references():
    index = (CODEBOOK_PAGES / "index.md").read_text(encoding="utf-8")
    for author in [
        "Entman",
        "Boydstun",
        "Card, D.",
        "Iyengar",
        "Pareti",
        "Hassan",
        "Hyland",
        "Piskorski",
        "Society of Professional Journalists",
    ]:
        assert author in index, author
