from qabot.corpus import parse_article
from qabot.passages import split_passages
from qabot.text import SentenceSplitter, word_count

TEXT = "Title Line Here\n" + "\n".join(
    " ".join(f"Sentence {p}-{s} has some words in it." for s in range(3)) for p in range(6)
) + "\nA New Section\nOnly sentence of the second section is here.\n"


def test_windows_respect_size_overlap_and_sections() -> None:
    art = parse_article("d", "d.txt", TEXT)
    passages = split_passages(art, SentenceSplitter(), size=30, overlap=1)
    for p in passages:
        body = art.text[p.start : p.end]
        assert word_count(body) <= 30 or len(p.sentences) == 1
        assert len({p.heading}) == 1
    first_section = [p for p in passages if p.heading == ""]
    for a, b in zip(first_section, first_section[1:]):
        assert a.sentences[-1] == b.sentences[0]
    assert passages[-1].heading == "A New Section"
    assert len(passages[-1].sentences) == 1
    covered = {s for p in passages for s in p.sentences}
    assert len(covered) == 19
