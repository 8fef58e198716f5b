"""What a licence prohibition restricts, in one classification for every feature (summary,
analyses, policy).

>>> kind_of({"kg:trainOtherModels"}, set())
'train other models'
>>> kind_of({"odrl:use"}, {"kg:monthlyActiveUsers"})
'user threshold'
"""

from __future__ import annotations

from collections.abc import Collection

#: The kinds, from the most specific test to the catch-all.
KINDS = ("user threshold", "region", "purpose", "train other models", "non-commercial", "use")


def kind_of(actions: Collection[str], left_operands: Collection[str]) -> str:
    """The kind of a prohibition on ``actions`` (compact ids) constrained by
    ``left_operands`` (compact ids; empty when it always applies)."""
    if "kg:monthlyActiveUsers" in left_operands:
        return "user threshold"
    if "odrl:spatial" in left_operands:
        return "region"
    if "odrl:purpose" in left_operands:
        return "purpose"
    if "kg:trainOtherModels" in actions:
        return "train other models"
    if "odrl:commercialize" in actions:
        return "non-commercial"
    return "use"
