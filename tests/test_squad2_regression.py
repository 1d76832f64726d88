"""Two SQuAD 2.0 articles (half their questions cannot be answered) through the real pipeline,
with floors, so that knowing when to abstain cannot slip unseen."""

import sys
from pathlib import Path

import pytest

from conftest import DATA, REPO

sys.path.insert(0, str(REPO / "bench"))
import squad2  # noqa: E402

pytestmark = pytest.mark.slow

# Measured when the floors were set (articles Immune_system and Force of the test half, never
# fitted on): overall 0.578, answerable right 0.799, unanswerable abstained 0.359, calibration
# error 0.083. Lowered once, on purpose, from 0.605 / 0.789 / 0.421 / 0.036: the model fitted then
# weighed SQuAD 2.0's way of writing unanswerable questions (the more of the paragraph's wording a
# question repeats, the less likely it is answerable) and the corpus's BM25 scale, and so answered
# news questions whose fact the articles do not hold ("When was Brandon Johnson born?"); the model
# now keeps each signal's direction and `min_confidence` is 0.2 (bench/fit_confidence.py says why).
# Raise the floors as the answerability model improves.
FLOORS = {
    "overall (right or rightly abstained)": 0.57,
    "answerable right": 0.78,
    "unanswerable abstained": 0.35,
}
MAX_CALIBRATION_ERROR = 0.09