from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pbengine.model import Ballot, Instance, Project, VoteType
from pbengine.pabulib import (
    PabulibError,
    format_number,
    parse_pabulib,
    read_pabulib,
    write_pabulib,
)

GOOD = """META
key;value
budget;100
vote_type;approval
PROJECTS
project_id;cost;name
1;60;Bankjes
2;50;"Speeltuin; nieuw"
VOTES
voter_id;vote
a;1,2
b;2
"""


def test_it_reads_a_small_file() -> None:
    instance = parse_pabulib(GOOD)
    assert instance.budget == 100
    assert instance.vote_type is VoteType.APPROVAL
    assert list(instance.projects) == ["1", "2"]
    assert instance.projects["2"].meta["name"] == "Speeltuin; nieuw"
    assert [b.projects for b in instance.ballots] == [("1", "2"), ("2",)]


def _error(text: str) -> PabulibError:
    with pytest.raises(PabulibError) as caught:
        parse_pabulib(text)
    return caught.value


def test_missing_votes_section_names_the_last_line() -> None:
    text = GOOD.split("VOTES", maxsplit=1)[0]
    error = _error(text)
    assert "VOTES" in str(error)
    assert error.line == text.count("\n") + 1


def test_missing_projects_section_is_reported_where_votes_start() -> None:
    text = GOOD.replace('PROJECTS\nproject_id;cost;name\n1;60;Bankjes\n2;50;"Speeltuin; nieuw"\n', "")
    error = _error(text)
    assert error.line == 5
    assert "PROJECTS" in str(error)


def test_bad_cost_names_its_line() -> None:
    error = _error(GOOD.replace("1;60;Bankjes", "1;zestig;Bankjes"))
    assert error.line == 7
    assert "zestig" in str(error)
    assert str(error).startswith("line 7:")


def test_bad_budget_names_its_line() -> None:
    error = _error(GOOD.replace("budget;100", "budget;veel"))
    assert error.line == 3


def test_unknown_project_in_a_vote_names_its_line() -> None:
    error = _error(GOOD.replace("b;2", "b;2,9"))
    assert error.line == 12
    assert "'9'" in str(error)


def test_wrong_column_count_names_its_line() -> None:
    error = _error(GOOD.replace("a;1,2", "a;1,2;extra"))
    assert error.line == 11
    assert "columns" in str(error)


def test_points_must_match_the_projects() -> None:
    text = GOOD.replace("approval", "cumulative").replace("voter_id;vote", "voter_id;vote;points")
    text = text.replace("a;1,2", "a;1,2;3,2").replace("b;2", "b;2;1,1")
    assert _error(text).line == 12


def test_unknown_vote_type_names_its_line() -> None:
    assert _error(GOOD.replace("vote_type;approval", "vote_type;lottery")).line == 4


def test_read_reports_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.pb"
    path.write_bytes(GOOD.encode() + b"c;\xff\n")
    with pytest.raises(PabulibError) as caught:
        read_pabulib(path)
    assert caught.value.line == 13


def test_every_shared_file_round_trips(data_dir: Path) -> None:
    files = sorted(data_dir.glob("*.pb"))
    assert len(files) == 23
    for path in files:
        instance = read_pabulib(path)
        assert parse_pabulib(write_pabulib(instance)) == instance, path.name


@pytest.mark.parametrize(
    "value",
    [Fraction(0), Fraction(12), Fraction(-5, 2), Fraction(1, 3), Fraction(7, 40)],
)
def test_numbers_are_written_exactly(value: Fraction) -> None:
    text = format_number(value)
    assert Fraction(text) == value


ids = st.text(alphabet="abcxyz0123456789_-/", min_size=1, max_size=6)


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    vote_type = draw(st.sampled_from(list(VoteType)))
    names = draw(st.lists(ids, min_size=1, max_size=6, unique=True))
    projects = {
        n: Project(
            n,
            Fraction(draw(st.integers(0, 10**6)), draw(st.sampled_from([1, 2, 4, 3]))),
        )
        for n in names
    }
    ballots = []
    for v in range(draw(st.integers(0, 8))):
        chosen = tuple(draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names))))
        if vote_type is VoteType.CHOOSE_1:
            chosen = chosen[:1]
        points = tuple(Fraction(draw(st.integers(0, 20))) for _ in chosen) if vote_type.has_points else None
        ballots.append(Ballot(f"v{v}", chosen, points, {}))
    budget = Fraction(draw(st.integers(0, 10**7)), draw(st.sampled_from([1, 10, 7])))
    return Instance(budget, vote_type, projects, ballots, {"budget": "", "vote_type": ""})


@settings(max_examples=150, deadline=None)
@given(instances())
def test_write_then_read_gives_the_same_instance(instance: Instance) -> None:
    again = parse_pabulib(write_pabulib(instance))
    assert again.budget == instance.budget
    assert again.vote_type is instance.vote_type
    assert again.projects == instance.projects
    assert again.ballots == instance.ballots
