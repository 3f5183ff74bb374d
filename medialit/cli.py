"""The thin command line: ``python -m medialit <verb> ...``; the logic lives in the subpackages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from medialit.assign import command as assign_command
from medialit.grade import command as grade_command
from medialit.release import command as release_command
from medialit.report import command as report_command


def _corpus_ingest(args: argparse.Namespace) -> int:
    from medialit.corpus import Corpus, CorpusError
    from medialit.corpus.ingest import ingest

    seeds = Path(args.seeds)
    if not seeds.is_dir():
        print(
            f"error: {seeds}: no such folder. Fix: give the folder that holds the raw "
            "captures (*.txt)",
            file=sys.stderr,
        )
        return 2
    results = ingest(seeds, Path(args.sources), force=args.force)
    failed = [result for result in results if result.error]
    for result in results:
        if result.error:
            print(f"FAILED  {result.seed_file}: {result.error}", file=sys.stderr)
        elif result.unchanged:
            print(f"same    {result.path}  ({result.article_id})")
        else:
            print(f"wrote   {result.path}  ({result.article_id})")
    if not results:
        print(f"error: {seeds} holds no *.txt captures", file=sys.stderr)
        return 2
    try:
        corpus = Corpus(Path(args.sources))
    except CorpusError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{len(corpus)} articles in {args.sources}/articles")
    return 1 if failed else 0


def _corpus_check(args: argparse.Namespace) -> int:
    from medialit.corpus import Corpus, CorpusError

    try:
        corpus = Corpus(Path(args.sources))
    except CorpusError as error:
        print(error, file=sys.stderr)
        return 1
    table = corpus.articles()[
        ["article_id", "date", "word_count", "paragraph_count", "sentence_count"]
    ]
    print(table.to_string(index=False))
    return 0


def _annotations(args: argparse.Namespace) -> int:
    from medialit.annotations.__main__ import main as annotations_main

    return annotations_main(args.rest)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: one sub-command per verb."""
    parser = argparse.ArgumentParser(prog="medialit", description=__doc__)
    verbs = parser.add_subparsers(dest="verb", required=True)

    corpus = verbs.add_parser("corpus", help="the articles: ingest captures, check the sources")
    corpus_verbs = corpus.add_subparsers(dest="action", required=True)
    ingest = corpus_verbs.add_parser("ingest", help="clean raw captures into sources/articles")
    ingest.add_argument(
        "seeds",
        nargs="?",
        default="sources/raw",
        help="folder of raw captures (*.txt); default sources/raw",
    )
    ingest.add_argument("--sources", default="sources", help="the sources folder to write")
    ingest.add_argument(
        "--force",
        action="store_true",
        help="overwrite article files edited by hand since ingest (their edits are lost)",
    )
    ingest.set_defaults(run=_corpus_ingest)
    check = corpus_verbs.add_parser("check", help="load every article and report the counts")
    check.add_argument("--sources", default="sources")
    check.set_defaults(run=_corpus_check)

    annotations = verbs.add_parser(
        "annotations", help="the answer keys: check them, or start one (see --help)", add_help=False
    )
    annotations.add_argument("rest", nargs=argparse.REMAINDER)
    annotations.set_defaults(run=_annotations)
    assign_command.add_parser(verbs)
    grade_command.add_parser(verbs)
    report_command.add_parser(verbs)
    release_command.add_parser(verbs)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["annotations"]:  # its own parser handles its options, --help included
        return _annotations(argparse.Namespace(rest=argv[1:]))
    args = build_parser().parse_args(argv)
    return args.run(args)
