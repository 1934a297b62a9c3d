"""reviewguard: decides whether marketplace activity breaks customer-review policy.

A **case** (parties, relations, products, reviews, messages, payments, catalog events; a dict
or a JSON string) goes in; a :class:`Decision` (violations of the eleven kinds, each with
evidence and the pack's recommended actions) comes out::

    import reviewguard

    engine = reviewguard.Engine()          # the bundled default policy pack
    decision = engine.evaluate({"id": "c1", "messages": [
        {"id": "M1", "text": "Leave a 5-star review and get a $10 gift card!"}]})
    print(decision.kinds)                  # ['compensated-review']
    print(decision.to_json())              # byte-identical to `reviewguard check`

Batches (:meth:`Engine.evaluate_many`, :meth:`Engine.scan_many`, :meth:`Engine.scan_column`)
release the GIL and use every core. Text spans are Python string indices.

On Apache Spark, :mod:`reviewguard.spark` (``evaluate_cases``, ``scan_column``) runs the engine
over Arrow batches on the executors; it is imported on demand only (PySpark is optional).
"""

from __future__ import annotations

from ._errors import CaseError, PolicyError, ReviewguardError
from ._reviewguard import (
    Decision,
    Engine,
    Finding,
    TextEvidence,
    Violation,
    __version__,
)

__all__ = [
    "Engine",
    "Decision",
    "Violation",
    "TextEvidence",
    "Finding",
    "ReviewguardError",
    "CaseError",
    "PolicyError",
    "__version__",
]
