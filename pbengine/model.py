"""Core data: projects, ballots, instances and the weighted voter types the rules work on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from fractions import Fraction


class VoteType(Enum):
    """How voters expressed themselves, as named in a Pabulib file's `vote_type`."""

    APPROVAL = "approval"
    CHOOSE_1 = "choose-1"
    CUMULATIVE = "cumulative"
    SCORING = "scoring"
    ORDINAL = "ordinal"

    @property
    def has_points(self) -> bool:
        return self in (VoteType.CUMULATIVE, VoteType.SCORING)

    @property
    def is_approval(self) -> bool:
        return self in (VoteType.APPROVAL, VoteType.CHOOSE_1)


class Satisfaction(Enum):
    """How much a voter gains from a project: the utility MES shares out and greedy sums."""

    COST = "cost"  # approved (or listed) project is worth its cost
    CARDINALITY = "cardinality"  # approved (or listed) project is worth 1
    ADDITIVE = "additive"  # the points the voter gave (cumulative and score ballots)
    BORDA = "borda"  # ballot length - position - 1 (ordinal ballots)


@dataclass(frozen=True)
class Project:
    """A project on the ballot. `id` is the identifier as written in the file; ties break on it."""

    id: str
    cost: Fraction
    meta: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.cost < 0:
            raise ValueError(f"project {self.id!r} has a negative cost")


@dataclass(frozen=True)
class Ballot:
    """One voter's ballot.

    `projects` lists the project ids in the order written (for ordinal ballots: best first).
    `points` is parallel to `projects` for cumulative and score ballots, otherwise None.
    """

    voter_id: str
    projects: tuple[str, ...]
    points: tuple[Fraction, ...] | None = None
    meta: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Instance:
    """A participatory-budgeting election: budget, projects and the ballots cast."""

    budget: Fraction
    vote_type: VoteType
    projects: dict[str, Project]
    ballots: list[Ballot]
    meta: dict[str, str] = field(default_factory=dict)
    project_columns: tuple[str, ...] = ()
    vote_columns: tuple[str, ...] = ()

    def total_cost(self, project_ids: Iterable[str]) -> Fraction:
        return sum((self.projects[p].cost for p in project_ids), Fraction(0))

    def default_satisfaction(self) -> Satisfaction:
        if self.vote_type.has_points:
            return Satisfaction.ADDITIVE
        if self.vote_type is VoteType.ORDINAL:
            return Satisfaction.BORDA
        return Satisfaction.COST


def build_instance(
    *,
    budget: int | Fraction | str,
    projects: Mapping[str, int | Fraction | str],
    ballots: Sequence[Iterable[str] | Mapping[str, int | Fraction]],
    vote_type: VoteType | str | None = None,
) -> Instance:
    """Build an instance from plain Python data.

    `projects` maps project id to cost. Each ballot is either an iterable of approved project ids
    (approval; a list is read as a ranking when `vote_type` is ordinal) or a mapping of project id
    to points (cumulative unless `vote_type` says scoring). Voter ids are numbered from 1.
    """
    project_objs = {pid: Project(pid, Fraction(cost)) for pid, cost in projects.items()}
    if vote_type is None:
        has_points = any(isinstance(b, Mapping) for b in ballots)
        kind = VoteType.CUMULATIVE if has_points else VoteType.APPROVAL
    else:
        kind = VoteType(vote_type)
    built: list[Ballot] = []
    for index, raw in enumerate(ballots, start=1):
        if isinstance(raw, Mapping):
            if not kind.has_points:
                raise ValueError(f"ballot {index} has points but the vote type is {kind.value}")
            ids = tuple(raw)
            points: tuple[Fraction, ...] | None = tuple(Fraction(raw[p]) for p in ids)
        else:
            ids = tuple(raw)
            points = None
            if kind.has_points:
                raise ValueError(f"ballot {index} has no points but the vote type is {kind.value}")
        for pid in ids:
            if pid not in project_objs:
                raise ValueError(f"ballot {index} names unknown project {pid!r}")
        if len(set(ids)) != len(ids):
            raise ValueError(f"ballot {index} names a project twice")
        built.append(Ballot(str(index), ids, points))
    return Instance(
        budget=Fraction(budget),
        vote_type=kind,
        projects=project_objs,
        ballots=built,
        meta={"budget": str(budget), "vote_type": kind.value},
    )


@dataclass(frozen=True)
class VoterType:
    """All voters whose ballots give identical utilities, counted once with a weight."""

    weight: int
    utilities: tuple[tuple[int, Fraction], ...]  # (project index, utility > 0 or <= 0 as given)
    voter_ids: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    """The ballots of an instance as weighted voter types, for one satisfaction measure.

    Projects are indexed 0..m-1 in the order of `project_ids` (as in the file).
    """

    project_ids: tuple[str, ...]
    costs: tuple[Fraction, ...]
    budget: Fraction
    num_voters: int
    types: tuple[VoterType, ...]
    satisfaction: Satisfaction
    voter_type_of: Mapping[str, int]

    def total_satisfaction(self, project: int) -> Fraction:
        return sum(
            (t.weight * u for t in self.types for p, u in t.utilities if p == project),
            Fraction(0),
        )


def ballot_utilities(
    instance: Instance,
    ballot: Ballot,
    satisfaction: Satisfaction,
    index: Mapping[str, int],
) -> tuple[tuple[int, Fraction], ...]:
    """The utility the ballot's voter draws from each project, as (project index, utility)."""
    if satisfaction is Satisfaction.COST:
        pairs = [(index[p], instance.projects[p].cost) for p in ballot.projects]
    elif satisfaction is Satisfaction.CARDINALITY:
        pairs = [(index[p], Fraction(1)) for p in ballot.projects]
    elif satisfaction is Satisfaction.ADDITIVE:
        if ballot.points is None:
            raise ValueError("additive satisfaction needs cumulative or score ballots")
        pairs = [(index[p], pts) for p, pts in zip(ballot.projects, ballot.points, strict=True)]
    else:
        if instance.vote_type is not VoteType.ORDINAL:
            raise ValueError("Borda satisfaction needs ordinal ballots")
        length = len(ballot.projects)
        pairs = [(index[p], Fraction(length - pos - 1)) for pos, p in enumerate(ballot.projects)]
    return tuple(sorted(pairs))


def build_profile(instance: Instance, satisfaction: Satisfaction | str | None = None) -> Profile:
    """Group the instance's ballots into weighted voter types for the given satisfaction."""
    sat = instance.default_satisfaction() if satisfaction is None else Satisfaction(satisfaction)
    project_ids = tuple(instance.projects)
    index = {pid: i for i, pid in enumerate(project_ids)}
    # one voter type per distinct ballot (cheap string keys)
    raw: dict[tuple[object, ...], list[Ballot]] = {}
    ordered = instance.vote_type is VoteType.ORDINAL
    for ballot in instance.ballots:
        key: tuple[object, ...]
        if ballot.points is not None:
            key = tuple(
                sorted((p, x.numerator, x.denominator) for p, x in zip(ballot.projects, ballot.points, strict=True))
            )
        else:
            key = ballot.projects if ordered else tuple(sorted(ballot.projects))
        raw.setdefault(key, []).append(ballot)
    # distinct ballots give distinct utilities (points and Borda positions are in the key)
    types = tuple(
        VoterType(
            len(same),
            ballot_utilities(instance, same[0], sat, index),
            tuple(b.voter_id for b in same),
        )
        for same in raw.values()
    )
    voter_type_of = {vid: t for t, vt in enumerate(types) for vid in vt.voter_ids}
    return Profile(
        project_ids=project_ids,
        costs=tuple(instance.projects[p].cost for p in project_ids),
        budget=instance.budget,
        num_voters=len(instance.ballots),
        types=types,
        satisfaction=sat,
        voter_type_of=voter_type_of,
    )
