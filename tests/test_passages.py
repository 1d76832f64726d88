from qabot.corpus import parse_article
from qabot.passages import indexed_passages
from qabot.text import SentenceSplitter, terms, words

SHORT = "\n".join(" ".join(f"Sentence {p}-{s} has some words in it." for s in range(3)) for p in range(4))
LONG = " ".join(f"Long sentence {s} has a few more words." for s in range(10))
TEXT = f"Title Line Here\n{SHORT}\n{LONG}\nA New Section\nOnly sentence of the second section is here.\n"


def _passages(size: int, overlap: int = 1):
    art = parse_article("d", "d.txt", TEXT)
    return art, [p for p, _ in indexed_passages(art, SentenceSplitter(), size=size, overlap=overlap)]


def test_short_paragraphs_are_packed_while_they_fit() -> None:
    art, passages = _passages(size=50)
    first = passages[0]
    assert {s.paragraph for s in first.sentences} == {1, 2}
    assert len(words(art.text[first.start : first.end])) <= 50


def test_long_paragraph_becomes_overlapping_windows() -> None:
    art, passages = _passages(size=30)
    windows = [p for p in passages if {s.paragraph for s in p.sentences} == {5}]
    assert len(windows) >= 3
    for a, b in zip(windows, windows[1:]):
        assert a.sentences[-1] == b.sentences[0]
    for p in passages:
        assert len(words(art.text[p.start : p.end])) <= 30 or len(p.sentences) == 1


def test_passages_never_cross_a_heading_and_cover_every_sentence() -> None:
    art, passages = _passages(size=1000)
    assert passages[-1].heading == "A New Section" and len(passages[-1].sentences) == 1
    assert all(p.heading == "" for p in passages[:-1])
    covered = {s for p in passages for s in p.sentences}
    assert len(covered) == 4 * 3 + 10 + 1


def test_indexed_terms_are_the_title_heading_and_sentence_terms() -> None:
    """Paragraphs are tokenised once as a whole and windows sentence by sentence; either way a
    passage's terms must be exactly those of its title, heading and sentences, in order."""
    art = parse_article("d", "d.txt", TEXT)
    for size in (30, 50, 1000):
        for passage, indexed in indexed_passages(art, SentenceSplitter(), size=size, overlap=1):
            body = [t for s in passage.sentences for t in terms(art.text[s.start : s.end])]
            assert indexed == terms(art.title) + terms(passage.heading) + terms(passage.context) + body
