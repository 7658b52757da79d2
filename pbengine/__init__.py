"""Participatory-budgeting engine: Pabulib files, greedy and the Method of Equal Shares.

Pure Python plus numpy (for the float filter of MES with Add1); outcomes equal those of pabutools 1.2.x.
See docs/pbengine.md.
"""

from pbengine.explain import Explanation, explain, render_text
from pbengine.model import (
    Ballot,
    Instance,
    Profile,
    Project,
    Satisfaction,
    VoteType,
    build_instance,
    build_profile,
)
from pbengine.outcome import Outcome, compute_outcome
from pbengine.pabulib import (
    PabulibError,
    parse_pabulib,
    read_pabulib,
    save_pabulib,
    write_pabulib,
)

__all__ = [
    "Ballot",
    "Explanation",
    "Instance",
    "Outcome",
    "PabulibError",
    "Profile",
    "Project",
    "Satisfaction",
    "VoteType",
    "build_instance",
    "build_profile",
    "compute_outcome",
    "explain",
    "parse_pabulib",
    "read_pabulib",
    "render_text",
    "save_pabulib",
    "write_pabulib",
]
