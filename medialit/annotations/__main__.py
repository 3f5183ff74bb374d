"""``python -m medialit.annotations check|draft|skeleton``: validate keys, or start a new one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from medialit.annotations.coverage import key_problems
from medialit.annotations.draft import left_to_do
from medialit.annotations.key import KeyFileError, key_paths, load_key
from medialit.annotations.quotes import find_quotations
from medialit.annotations.stubs import framing_stub_opening, quoted
from medialit.corpus import Corpus, CorpusError


def skeleton(corpus: Corpus, article_id: str) -> str:
    """A key file to fill in: one framing stub per paragraph, one claims stub per sentence, one
    sourcing stub per quotation and hyperlink cue. Every ``TODO`` must be replaced.

    >>> from medialit import corpus
    >>> text = skeleton(corpus.default(), "putin-changed-stance")
    >>> text.count("layer: framing"), text.count("layer: claims")
    (16, 32)
    """
    article = corpus.article(article_id)
    lines = [
        f"# Answer key for {article.title} (see sources/annotations/README.md).",
        f"article_id: {article_id}",
        "status: draft",
        "annotators: [TODO]",
        "",
        "entries:",
    ]
    quotes = find_quotations(article)
    cues = corpus.link_cues(article_id)
    for paragraph in article.paragraphs:
        number, opening = framing_stub_opening(paragraph)
        lines += [
            *opening,
            "  frame: TODO",
            "  frame_mode: TODO",
            "  entman_functions: []",
            "  rationale: TODO",
        ]
        for quote in (q for q in quotes if q.paragraph_id == paragraph.paragraph_id):
            lines += [
                f"- id: source-p{number}-{quote.start}",
                f"  paragraph_id: {paragraph.paragraph_id}",
                "  layer: sourcing",
                f"  span: {quoted(quote.text)}",
                "  source: TODO",
                "  cue: TODO",
                "  source_type: TODO",
                "  quote_kind: TODO",
                "  rationale: TODO",
            ]
        for cue in cues[cues["paragraph_id"] == paragraph.paragraph_id].itertuples():
            lines += [
                f"- id: link-p{number}-{cue.start}",
                f"  paragraph_id: {paragraph.paragraph_id}",
                "  layer: sourcing",
                "  span: TODO",
                f"  cue: {quoted(cue.anchor_text)}",
                "  source_type: TODO",
                "  quote_kind: TODO",
                "  rationale: TODO",
            ]
        for sentence in (s for s in article.sentences if s.paragraph_id == paragraph.paragraph_id):
            lines += [
                f"- id: claim-p{number}-{sentence.number}",
                f"  paragraph_id: {paragraph.paragraph_id}",
                "  layer: claims",
                f"  span: {quoted(sentence.text)}",
                "  claim_kind: TODO",
                "  check_worthiness: TODO",
                "  voice: TODO",
                "  rationale: TODO",
            ]
    return "\n".join(lines) + "\n"


def _references(corpus: Corpus) -> int:
    from medialit.annotations.references import reference_problems

    root = corpus.root.resolve().parent
    problems = reference_problems(root, corpus)
    for problem in problems:
        print(problem, file=sys.stderr)
    files = len({problem.path for problem in problems})
    if problems:
        print(
            f"{len(problems)} reference(s) in {files} file(s) name a missing article or paragraph, "
            "or quote words no longer in the article: fix each (book/instructor/swap-article.md)",
            file=sys.stderr,
        )
        return 1
    print(f"every reference to the {len(corpus)} articles fits the corpus")
    return 0


def _check(args: argparse.Namespace) -> int:
    corpus = Corpus(args.sources) if args.sources else None
    if args.references:
        from medialit.corpus import default

        return _references(corpus or default())
    paths = key_paths(corpus)
    if not paths:
        print("no key files found (sources/annotations/*.yaml)", file=sys.stderr)
        return 1
    failures = 0
    for path in paths:
        try:
            key = load_key(path, corpus)
        except KeyFileError as error:
            failures += len(error.problems)
            print(error, file=sys.stderr)
            continue
        problems = key_problems(key, corpus)
        failures += len(problems)
        for problem in problems:
            print(problem, file=sys.stderr)
        counts = ", ".join(
            f"{layer} {len(key.layer(layer))}"
            for layer in ("framing", "sourcing", "claims", "persuasion")
        )
        verdict = "ok" if not problems else f"{len(problems)} problem(s)"
        left = left_to_do(key)
        if left:
            failures += len(left)
            draft = "draft: " if key.status == "draft" else ""
            verdict += f"; {draft}{len(left)} thing(s) left to do"
            if key.unfinished:
                verdict += f" ({len(key.unfinished)} entries with a todo)"
            for line in left:
                print(f"  TODO {line}", file=sys.stderr)
        print(f"{path.name}: {len(key.annotations)} annotations ({counts}): {verdict}")
    return 1 if failures else 0


def _draft(args: argparse.Namespace) -> int:
    from medialit.annotations.draft import DraftExists, write_draft
    from medialit.corpus import default

    source = Corpus(args.sources) if args.sources else default()
    if args.article_id not in source.ids():
        print(
            f"error: no article {args.article_id!r}; the corpus has {', '.join(source.ids())}",
            file=sys.stderr,
        )
        return 2
    try:
        key = write_draft(source, args.article_id, force=args.force)
    except DraftExists as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        f"wrote {key.path}: a draft key with {len(key.unfinished)} entries to finish "
        f"(python -m medialit annotations check lists them)"
    )
    return 0


def _skeleton(args: argparse.Namespace) -> int:
    corpus = Corpus(args.sources) if args.sources else None
    from medialit.corpus import default

    source = corpus or default()
    if args.article_id not in source.ids():
        print(
            f"error: no article {args.article_id!r}; the corpus has {', '.join(source.ids())}",
            file=sys.stderr,
        )
        return 2
    sys.stdout.write(skeleton(source, args.article_id))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the annotations command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m medialit.annotations",
        description="Validate answer keys or start a new one.",
    )
    parser.add_argument(
        "--sources", type=Path, default=None, help="a sources folder other than the repository's"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="load every key file and apply every rule")
    check.add_argument(
        "--references",
        action="store_true",
        help="instead, list every page, exercise, example and topic that names a missing "
        "article or quotes words no longer in it",
    )
    start = commands.add_parser("skeleton", help="print a key file to fill in for one article")
    start.add_argument("article_id")
    draft = commands.add_parser(
        "draft", help="write a draft key (stubs and the attribution finder's suggestions)"
    )
    draft.add_argument("article_id")
    draft.add_argument("--force", action="store_true", help="replace an existing key file")
    args = parser.parse_args(argv)
    run = {"check": _check, "skeleton": _skeleton, "draft": _draft}[args.command]
    try:
        return run(args)
    except CorpusError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
