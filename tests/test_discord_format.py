import random

from qabot.answer import Answer, Quote, ShortAnswer
from qabot.cooldown import Cooldown
from qabot.discord_format import question_text, MESSAGE_LIMIT, answer_messages, escape_markdown, pack, shown_quote, sources_messages, split_text


def _quote(text: str, n: int = 1) -> Quote:
    return Quote(text=text, doc_id=f"doc{n}", title="A *Title*", source="x", paragraph=n, start=0, end=len(text), score=1)


def test_answer_is_block_quote_then_citation() -> None:
    [message] = answer_messages(Answer(question="q", answered=True, quotes=[_quote("He said_it *loudly*.")]))
    assert message == "> He said\\_it \\*loudly\\*.\n\u2014 **A \\*Title\\*** (`doc1`, paragraph 1)"


def test_short_answer_is_bold_and_escaped_inside_the_block_quote() -> None:
    text = "The *agent*  @everyone saw Jo_Ann  Smith\nat noon."
    start = text.index("Jo_Ann")
    answer = Answer(
        question="q", answered=True, quotes=[_quote(text)],
        short_answer=ShortAnswer(text="Jo_Ann  Smith", doc_id="doc1", start=start, end=start + len("Jo_Ann  Smith")),
    )
    [message] = answer_messages(answer)
    assert message.startswith("> The \\*agent\\* @everyone saw **Jo\\_Ann Smith** at noon.\n")


def test_a_cut_inside_the_bold_span_keeps_both_pieces_bold() -> None:
    text = "word " * 30 + "the answer spans these several words here " + "tail " * 10
    start = text.index("the answer")
    end = start + len("the answer spans these several words here")
    answer = Answer(question="q", answered=True, quotes=[_quote(text)],
                    short_answer=ShortAnswer(text=text[start:end], doc_id="doc1", start=start, end=end))
    lines = [line for message in answer_messages(answer, 170) for line in message.split("\n") if line.startswith("> ")]
    assert len(lines) > 1 and all(line.count("**") % 2 == 0 for line in lines)
    assert "".join(lines).replace("> ", " ").replace("****", "").count("**") >= 2


def test_a_short_answer_outside_the_first_quote_is_not_shown() -> None:
    answer = Answer(question="q", answered=True, quotes=[_quote("Short text.")],
                    short_answer=ShortAnswer(text="elsewhere", doc_id="doc9", start=0, end=9))
    assert "**" not in answer_messages(answer)[0].split("\n")[0]
    assert shown_quote("a  b", None) == "a b"


def test_not_found_is_one_plain_message() -> None:
    assert answer_messages(Answer(question="q", answered=False)) == ["I could not find the answer in the articles."]


def test_long_answers_split_at_sentences_within_the_limit() -> None:
    rng = random.Random(3)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "harbour", "council"]
    sentences = [" ".join(rng.choice(words) for _ in range(rng.randint(5, 30))).capitalize() + "." for _ in range(120)]
    text = " ".join(sentences)
    messages = answer_messages(Answer(question="q", answered=True, quotes=[_quote(text), _quote("Short one.", 2)]))
    assert len(messages) >= 3
    assert all(len(m) <= MESSAGE_LIMIT for m in messages)
    quoted = " ".join(line[2:] for m in messages for line in m.splitlines() if line.startswith("> "))
    assert quoted.replace("Short one.", "").strip() == text
    for m in messages:
        for line in m.splitlines():
            if line.startswith("> ") and line[2:] != "Short one.":
                assert line.endswith("."), "a piece ends at a sentence boundary"


def test_split_never_cuts_inside_a_word_unless_the_word_is_too_long() -> None:
    text = "word " * 1000
    pieces = split_text(text.strip(), 97)
    assert all(len(p) <= 97 for p in pieces)
    assert all(w == "word" for p in pieces for w in p.split())
    assert split_text("x" * 250, 100) == ["x" * 100, "x" * 100, "x" * 50]


def test_pack_keeps_blocks_whole_when_they_fit() -> None:
    blocks = ["a" * 900, "b" * 900, "c" * 900]
    assert pack(blocks) == ["a" * 900 + "\n\n" + "b" * 900, "c" * 900]


def test_sources_listing_fits_in_messages() -> None:
    sources = [(f"{i:03d}_article", f"Title number {i} about the city council budget") for i in range(200)]
    messages = sources_messages(sources)
    assert len(messages) > 1 and all(len(m) <= MESSAGE_LIMIT for m in messages)
    assert sum(m.count("\u2022") for m in messages) == 200


def test_escape_markdown() -> None:
    assert escape_markdown("a_b*c`d|e>f~g") == "a\\_b\\*c\\`d\\|e\\>f\\~g"


def test_the_question_is_the_message_without_its_mentions() -> None:
    assert question_text("<@42> who is <@7>?") == "who is ?"
    assert question_text("<@!42>   hi") == "hi"
    assert question_text("@everyone <@&123> Who signed it? <#55> @here") == "Who signed it?"
    assert question_text("mail me@example.org") == "mail me@example.org"


def test_cooldown_per_user_and_bounded() -> None:
    cooldown = Cooldown(seconds=5, max_users=100)
    assert cooldown.remaining(1, now=0) == 0
    assert cooldown.remaining(1, now=1) == 4
    assert cooldown.remaining(2, now=1) == 0
    assert cooldown.remaining(1, now=5) == 0
    for user in range(10_000):
        cooldown.remaining(user, now=10 + user * 0.0001)
    assert len(cooldown) <= 101


def test_a_question_read_with_a_slip_corrected_says_how_first_escaped() -> None:
    answer = Answer(question="waht did *johnosn* sign", answered=True, quotes=[_quote("He signed it.")],
                    read_as="what did *johnson* sign", about="Brandon Johnson")
    [message] = answer_messages(answer)
    assert message.startswith("_(read as: what did \\*johnson\\* sign)_\n\n_(about: Brandon Johnson)_\n\n> He signed it.")
