"""The learned model: how a question's candidate features (`ranking.analyse`) become each
candidate's logit, their order, and the probability that the library answers the question.
Its ranker weighs the features with weights shared by every question plus a part of their own
for its group of shapes (`SHAPE_GROUPS`). `bench/training/fit.py` fits it on the training
questions and writes `model.json`, which is all the runtime needs.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources

import numpy as np

from store.search.question import Shape
from store.search.ranking import FEATURES, QUESTION_FEATURES, Analysis

# The ranker's weights are shared by every question, plus a part of their own for each group
# of shapes (group 0 has none): what makes a sentence the answer to "what did X say" (a
# quotation by X) is not what makes it the answer to "how many" (a number), nor "why".
SHAPE_GROUPS = {
    Shape.KEYWORDS: 0,
    Shape.SAY: 1,
    Shape.WHO_SAID: 1,
    Shape.NUMBER: 2,
    Shape.DATE: 2,
    Shape.NAME: 2,
    Shape.PLACE: 2,
    Shape.WHY: 3,
    Shape.HOW: 3,
}
GROUPS = 4


def own_weights(coef: np.ndarray) -> np.ndarray:
    """The ranker's weights per group of shapes, from the fit's: the shared ones, then each
    group's own part (none for group 0)."""
    parts = coef.reshape(GROUPS, -1)
    return parts[0] + np.vstack([np.zeros(parts.shape[1]), parts[1:]])


def by_group(features: np.ndarray, shape: Shape) -> np.ndarray:
    """A question's candidates' features as the fit sees them: the shared columns, and a copy in
    its group's columns (zeros in the others)."""
    group = SHAPE_GROUPS[shape]
    wide = np.zeros((len(features), GROUPS * features.shape[1]), dtype=features.dtype)
    wide[:, : features.shape[1]] = features
    if group:
        wide[:, group * features.shape[1] : (group + 1) * features.shape[1]] = features
    return wide


@dataclass(frozen=True, slots=True)
class Model:
    """Two logistic regressions: one scores each candidate (does it hold the answer?), one the
    question (does the library answer it?), refused below `threshold`. Further results are
    shown while a candidate's probability is at least `further`."""

    ranker: np.ndarray  # (GROUPS, features): each group's weights, shared part included
    ranker_bias: float
    answerable: np.ndarray
    answerable_bias: float
    threshold: float
    further: float

    @classmethod
    def load(cls) -> Model:
        data = json.loads(resources.files("store.search").joinpath("model.json").read_text())
        if tuple(data["features"]) != FEATURES or tuple(data["question_features"]) != (
            QUESTION_FEATURES
        ):
            raise ValueError("store/search/model.json was fit on other features: refit it")
        return cls.of(data)

    @classmethod
    def of(cls, data: dict) -> Model:
        """The model that `fit.py` describes in `data` (model.json's content)."""
        return cls(
            own_weights(np.array(data["ranker"]["coef"])),
            data["ranker"]["intercept"],
            np.array(data["answerable"]["coef"]),
            data["answerable"]["intercept"],
            data["answerable"]["threshold"],
            data["further"],
        )

    def rank(self, analysis: Analysis) -> tuple[np.ndarray, np.ndarray]:
        """Each candidate's logit, and the candidates' order (ties to the earlier unit: a
        report puts what matters first)."""
        group = SHAPE_GROUPS[analysis.question.shape]
        logits = analysis.features @ self.ranker[group] + self.ranker_bias
        return logits, np.lexsort((analysis.docs, -logits))

    def answerability(self, analysis: Analysis, logits: np.ndarray, order: np.ndarray) -> float:
        x = analysis.question_features(logits, order)
        return _sigmoid(float(x @ self.answerable + self.answerable_bias))

    def keeps(self, logit: float) -> bool:
        return _sigmoid(logit) >= self.further


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, x))))
