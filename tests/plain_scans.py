"""The plain meaning of a data rule, against which the fast scans are tested."""
import itertools


def rule_matches(rule, text: str, low: str, *span):
    """The matches of every part of `rule` (a `lexicon.Rule`) over the whole text (or `span`),
    part after part: in order within a part, and a part's matches may overlap another part's."""
    target = low if rule.lower else text
    return itertools.chain.from_iterable(p.finditer(target, *span) for p in rule.compiled)
