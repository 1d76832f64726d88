import logging
from pathlib import Path

import pytest

from qabot.corpus import Article, decode_article, list_article_files, parse_article
from qabot.errors import QabotError

from conftest import SEEDS

def read_article(path: Path) -> Article:
    return parse_article(path.stem, str(path), decode_article(path.read_bytes(), str(path)))


ARTICLE = """Skip to content

City Council Passes Budget

The council voted 7-2 on Tuesday to pass the budget.
The council voted 7-2 on Tuesday to pass the budget.

What Comes Next
- Hearings start in May.
- The mayor signs it in June.

| Item | Before | After |
|---|---|---|
| Parks | $1M | $2M |

Read also:
Latest
"""


def test_structure_title_headings_lists_tables() -> None:
    art = parse_article("a", "a.txt", ARTICLE)
    kinds = [(b.kind, art.block_text(b)) for b in art.blocks]
    assert kinds[0] == ("title", "City Council Passes Budget")
    assert ("heading", "What Comes Next") in kinds
    assert ("list_item", "Hearings start in May.") in kinds
    assert ("table_header", "| Item | Before | After |") in kinds
    assert ("table_row", "| Parks | $1M | $2M |") in kinds
    assert art.title == "City Council Passes Budget"


def test_boilerplate_and_repeated_lines_are_dropped() -> None:
    art = parse_article("a", "a.txt", ARTICLE)
    texts = [art.block_text(b) for b in art.blocks]
    assert texts.count("The council voted 7-2 on Tuesday to pass the budget.") == 1
    assert not any("Skip" in t or "Read also" in t or t == "Latest" for t in texts)
    reasons = {r for _, _, r in art.dropped}
    assert {"navigation", "duplicate"} <= reasons


def test_paragraph_numbers_count_body_blocks() -> None:
    art = parse_article("a", "a.txt", ARTICLE)
    body = [b for b in art.blocks if b.paragraph]
    assert [b.paragraph for b in body] == list(range(1, len(body) + 1))
    assert all(b.heading == "What Comes Next" for b in body[1:])
    table_row = next(b for b in art.blocks if b.kind == "table_row")
    assert table_row.context == "| Item | Before | After |"


def test_offsets_point_into_the_original_text() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        art = read_article(path)
        raw = path.read_bytes().decode("utf-8")
        assert art.text == raw
        for block in art.blocks:
            assert raw[block.start : block.end] == art.block_text(block)
            assert art.block_text(block) == art.block_text(block).strip()


def test_bundled_corpus_boilerplate_never_kept() -> None:
    kept = "\n".join(
        read_article(p).block_text(b) for p in sorted(SEEDS.glob("*.txt")) for b in read_article(p).blocks
    )
    for furniture in ("Skip to content", "Read also", "YOU MAY ALSO LIKE", "Leave a Reply", "will not be published", "{Matzav.com}", "« Trump"):
        assert furniture not in kept


def test_undecodable_bytes_are_replaced_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Title\nThe caf\xe9 opened on Monday in the old town.\n")
    with caplog.at_level(logging.WARNING):
        art = read_article(path)
    assert "\ufffd" in art.text
    assert "undecodable" in caplog.text


def test_missing_and_empty_corpus_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(QabotError, match="does not exist"):
        list_article_files(tmp_path / "nope")
    with pytest.raises(QabotError, match="no .txt articles"):
        list_article_files(tmp_path)


def test_article_files_are_listed_in_path_order_with_their_stat(tmp_path: Path) -> None:
    """The order numbers the articles, so it is `Path`'s (by parts: "a/b" before "a-b"), whatever
    the walk."""
    for name in ("a-b.txt", "a/b.txt", "a/c/d.txt", "b.txt", "a/notes.md", ".hidden.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    found = list_article_files(tmp_path)
    paths = [Path(path) for path, _ in found]
    assert paths == sorted(p for p in tmp_path.rglob("*.txt") if p.is_file())
    assert [stat.st_size for _, stat in found] == [len(str(p.relative_to(tmp_path))) for p in paths]
