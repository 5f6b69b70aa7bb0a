"""Relevance metrics for one ranked result list, and their means over a corpus's queries.

Definitions (issue 10 item 9), for a query's ranked result keys, its ``expect`` keys and its
``absent`` keys:

- hit (recall@5): any expected key is in the first 5 results;
- reciprocal rank: 1 / the rank of the first expected key found anywhere in the results, 0 if
  none is found;
- nDCG@10: binary gains (1 for an expected key) discounted by log2(rank + 1) over the first
  10 results, divided by the best possible value for that many expected keys;
- leaks: the absent keys found anywhere in the results.

A query with no expected keys (a visitor looking for members-only content) only counts for
leaks: recall@5, MRR and nDCG@10 are means over the queries that expect something.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

HIT_DEPTH = 5
NDCG_DEPTH = 10


@dataclass(frozen=True)
class QueryScore:
    """The scores of one query; ``leaks`` are the absent keys it returned, in result order."""

    expects: bool
    hit: bool
    reciprocal_rank: float
    ndcg: float
    leaks: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    recall_at_5: float
    mrr: float
    ndcg_at_10: float
    leaks: int
    queries: int

    def line(self, backend: str) -> str:
        """The line ``make relevance`` prints for ``backend``."""
        return (
            f"relevance {backend}: recall@5 {self.recall_at_5:.3f}, MRR {self.mrr:.3f}, "
            f"nDCG@10 {self.ndcg_at_10:.3f}, leaks {self.leaks} over {self.queries} queries"
        )


def score_query(
    ranked: Sequence[str | None], *, expect: Iterable[str], absent: Iterable[str] = ()
) -> QueryScore:
    """Score ``ranked`` (result keys best first; None for a result outside the corpus)."""
    expected = set(expect)
    first = next((rank for rank, key in enumerate(ranked, 1) if key in expected), None)
    gains = sum(
        1 / math.log2(rank + 1)
        for rank, key in enumerate(ranked[:NDCG_DEPTH], 1)
        if key in expected
    )
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(len(expected), NDCG_DEPTH) + 1))
    absent_keys = set(absent)
    return QueryScore(
        expects=bool(expected),
        hit=first is not None and first <= HIT_DEPTH,
        reciprocal_rank=1 / first if first else 0.0,
        ndcg=gains / ideal if ideal else 0.0,
        leaks=tuple(dict.fromkeys(key for key in ranked if key in absent_keys)),
    )


def summarise(scores: Sequence[QueryScore]) -> Summary:
    """Means of the ranking metrics over the queries that expect something; leaks summed."""
    ranked = [score for score in scores if score.expects]

    def mean(values: list[float]) -> float:
        return sum(values) / len(values) if values else 0.0

    return Summary(
        recall_at_5=mean([1.0 if score.hit else 0.0 for score in ranked]),
        mrr=mean([score.reciprocal_rank for score in ranked]),
        ndcg_at_10=mean([score.ndcg for score in ranked]),
        leaks=sum(len(score.leaks) for score in scores),
        queries=len(scores),
    )
