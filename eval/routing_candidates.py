"""The routers `make eval` compares (eval/routing_eval.py), each behind one method:
probabilities(texts) -> (rows of department probabilities in catalogue order, nearest examples).

- the kept router (bot/routing, n-gram centroids + e5 neighbours) and its two halves alone,
  built from bot/routing with settings changed, so what is measured is what runs;
- two scikit-learn logistic regressions, on character n-gram tf-idf and on the e5 embeddings,
  the usual alternatives a reader would ask about.
"""
from __future__ import annotations

import dataclasses
from typing import Callable, Dict, List, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.routing import Router
from bot.routing.catalogue import Catalogue
from bot.routing.neighbours import EmbeddingCache, Labelled
from bot.routing.text import normalize

Builder = Callable[[Catalogue, Sequence[Labelled]], object]


def variant(catalogue: Catalogue, **changes) -> Catalogue:
    return dataclasses.replace(catalogue, router=dataclasses.replace(catalogue.router, **changes))


class SklearnRouter:
    """A scikit-learn classifier on some features of the (place-blanked) text."""

    def __init__(self, base: Router, featurize, model: LogisticRegression, examples: Sequence[Labelled]):
        self.base, self.featurize, self.model = base, featurize, model
        labels = list(base.classifier.labels)
        self._columns = [labels.index(c) for c in model.classes_]
        self._width = len(labels)

    def probabilities(self, texts: Sequence[str]):
        rows = self.model.predict_proba(self.featurize([self.base.without_places(t) for t in texts]))
        out = np.zeros((len(texts), self._width))
        out[:, self._columns] = rows
        return out, [[] for _ in texts]


def _tfidf_lr(catalogue: Catalogue, examples: Sequence[Labelled]) -> SklearnRouter:
    base = Router.build(catalogue, encoder="none", examples=examples)
    fillers = catalogue.router.filler_phrases
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True,
                                 preprocessor=lambda t: normalize(t, fillers))
    x = vectorizer.fit_transform([base.without_places(e.text) for e in examples])
    model = LogisticRegression(C=10, max_iter=2000).fit(x, [e.department for e in examples])
    return SklearnRouter(base, vectorizer.transform, model, examples)


def _embedding_lr(catalogue: Catalogue, examples: Sequence[Labelled]) -> SklearnRouter:
    from bot.knowledge.encoders import make_encoder
    base = Router.build(catalogue, encoder="none", examples=examples)
    cache = EmbeddingCache(make_encoder(catalogue.router.encoder), catalogue.router.cache_dir)
    x = cache.encode([base.without_places(e.text) for e in examples])
    model = LogisticRegression(C=10, max_iter=3000).fit(x, [e.department for e in examples])
    return SklearnRouter(base, lambda texts: cache.encode(texts, remember=False), model, examples)


CANDIDATES: Dict[str, Builder] = {
    "n-gram 质心（原路由）": lambda c, ex: Router.build(variant(c, calibration=1.0), encoder="none", examples=ex),
    "n-gram 逻辑回归": _tfidf_lr,
    "e5 近邻": lambda c, ex: Router.build(variant(c, centroid_weight=0.0), examples=ex),
    "e5 逻辑回归": _embedding_lr,
    "组合：质心 + e5 近邻（采用）": lambda c, ex: Router.build(c, examples=ex),
}
KEPT = "组合：质心 + e5 近邻（采用）"
BEFORE = "n-gram 质心（原路由）"


def names() -> List[str]:
    return list(CANDIDATES)
