"""Checking events against their contract, in-process.

from govern import Catalog
from govern.validation import ValidatorSet
verdict = ValidatorSet(Catalog.load(".")).check(event)   # event decoded with decode_event
verdict.valid, verdict.errors
"""

from govern.validation.problems import Problem
from govern.validation.selection import ValidatorSet, Verdict
from govern.validation.validator import EventValidator

__all__ = ["EventValidator", "Problem", "ValidatorSet", "Verdict"]
