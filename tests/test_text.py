from qabot.text import SentenceSplitter, normalize, terms, tokens


def test_terms_stem_lowercase_and_drop_stopwords() -> None:
    assert terms("The Mayor’s orders were signed") == ["mayor", "order", "sign"]
    assert normalize("the") == ""
    assert terms("U.S. officials") == ["u.s", "offici"]


def test_tokens_keep_offsets() -> None:
    text = "Johnson’s order, signed Saturday."
    for tok in tokens(text):
        assert text[tok.start : tok.end] == tok.surface


def test_splitter_knows_common_abbreviations_without_training() -> None:
    text = "Gov. Kathy Hochul spoke on Friday. The U.S. Department replied. It ends Sept. 5 at noon."
    spans = SentenceSplitter().spans(text)
    assert [text[s:e] for s, e in spans] == [
        "Gov. Kathy Hochul spoke on Friday.",
        "The U.S. Department replied.",
        "It ends Sept. 5 at noon.",
    ]


def test_trained_splitter_spans_are_trimmed() -> None:
    text = "  First sentence here.   Second one follows!  "
    splitter = SentenceSplitter.trained_on([text])
    assert [text[s:e] for s, e in splitter.spans(text)] == ["First sentence here.", "Second one follows!"]
