"""An Answer as text for a terminal and as JSON; pure functions, no I/O."""

from __future__ import annotations

from qabot.answer import Answer, Quote

NOT_FOUND_TEXT = "I could not find the answer in the articles."


def citation(quote: Quote) -> str:
    return f"{quote.title} [{quote.doc_id}, paragraph {quote.paragraph}]"


def render_text(answer: Answer) -> str:
    """Each quote in quotation marks with its citation below; or the not-found sentence and why."""
    about = f"(about: {answer.about})\n" if answer.about else ""
    if not answer.answered:
        reason = f" ({answer.reason})" if answer.reason else ""
        return f"{about}{NOT_FOUND_TEXT}{reason}"
    blocks = [f"\u201c{quote.text}\u201d\n    \u2014 {citation(quote)}" for quote in answer.quotes]
    return about + "\n\n".join(blocks)


def render_json(answer: Answer) -> str:
    return answer.model_dump_json()
