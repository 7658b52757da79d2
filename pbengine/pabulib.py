"""Read and write the Pabulib `.pb` format (sections META, PROJECTS, VOTES; see pabulib.org/format)."""

from __future__ import annotations

import csv
import io
import re
from fractions import Fraction
from pathlib import Path

from pbengine.model import Ballot, Instance, Project, VoteType

_SECTIONS = ("meta", "projects", "votes")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)(/\d+)?$")


class PabulibError(ValueError):
    """A malformed `.pb` file. `line` is the 1-based line number the problem was found on."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.reason = message


def parse_number(text: str, line: int, what: str) -> Fraction:
    """Parse `12`, `12.5`, `12,5` or `1/3` exactly."""
    cleaned = text.strip().replace(",", ".")
    if not _NUMBER.match(cleaned):
        raise PabulibError(line, f"{what} {text.strip()!r} is not a number")
    return Fraction(cleaned)


def format_number(value: Fraction) -> str:
    """Write a number so that `parse_number` reads it back exactly; decimals when finite."""
    if value.denominator == 1:
        return str(value.numerator)
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{value.numerator}/{value.denominator}"
    digits = max(twos, fives)
    scaled = value * 10**digits
    sign = "-" if scaled < 0 else ""
    whole, frac = divmod(abs(scaled.numerator), 10**digits)
    return f"{sign}{whole}.{frac:0{digits}d}"


def read_pabulib(path: str | Path) -> Instance:
    """Read a `.pb` file. Raises PabulibError naming the offending line."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PabulibError(line, "the file is not valid UTF-8 text") from None
    return parse_pabulib(text)


def parse_pabulib(text: str) -> Instance:
    """Parse the text of a `.pb` file. Raises PabulibError naming the offending line."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    section = ""
    header: list[str] = []
    header_line = 0
    seen: set[str] = set()
    meta: dict[str, str] = {}
    projects: dict[str, Project] = {}
    raw_votes: list[tuple[int, list[str]]] = []
    project_columns: tuple[str, ...] = ()
    vote_columns: tuple[str, ...] = ()
    expect_header = False
    try:
        for row in reader:
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            first = row[0].strip().lower()
            if len(row) == 1 and first in _SECTIONS:
                if first in seen:
                    raise PabulibError(line, f"section {first.upper()} appears twice")
                expected = _SECTIONS[len(seen)]
                if first != expected:
                    raise PabulibError(
                        line,
                        f"section {expected.upper()} is missing before {first.upper()}",
                    )
                seen.add(first)
                section = first
                expect_header = True
                continue
            if not section:
                raise PabulibError(line, "the file must start with the line META")
            if expect_header:
                header = [h.strip() for h in row]
                header_line = line
                expect_header = False
                if section == "projects":
                    _check_header(header, ("project_id", "cost"), line, "PROJECTS")
                    project_columns = tuple(header)
                elif section == "votes":
                    _check_header(header, ("voter_id", "vote"), line, "VOTES")
                    vote_columns = tuple(header)
                elif len(header) != 2:
                    raise PabulibError(line, "the META header must have two columns, key;value")
                continue
            if len(row) != len(header):
                raise PabulibError(
                    line,
                    f"expected {len(header)} columns as in the header on line {header_line}, found {len(row)}",
                )
            if section == "meta":
                meta[row[0].strip()] = row[1].strip()
            elif section == "projects":
                values = {h: v.strip() for h, v in zip(header, row, strict=True)}
                pid = values.pop("project_id")
                if not pid:
                    raise PabulibError(line, "a project has an empty project_id")
                if pid in projects:
                    raise PabulibError(line, f"project {pid!r} is listed twice")
                cost = parse_number(values.pop("cost"), line, "cost")
                if cost < 0:
                    raise PabulibError(line, f"project {pid!r} has a negative cost")
                projects[pid] = Project(pid, cost, values)
            else:
                raw_votes.append((line, row))
    except csv.Error as error:
        raise PabulibError(reader.line_num, f"unreadable line ({error})") from None
    last_line = text.count("\n") + 1
    for name in _SECTIONS:
        if name not in seen:
            raise PabulibError(last_line, f"section {name.upper()} is missing")
    if expect_header:
        raise PabulibError(last_line, f"section {section.upper()} has no header line")
    vote_type, budget = _read_meta(meta, text)
    ballots = [_read_ballot(line, row, vote_columns, vote_type, projects) for line, row in raw_votes]
    return Instance(
        budget=budget,
        vote_type=vote_type,
        projects=projects,
        ballots=ballots,
        meta=meta,
        project_columns=project_columns,
        vote_columns=vote_columns,
    )


def _check_header(header: list[str], required: tuple[str, ...], line: int, name: str) -> None:
    for column in required:
        if column not in header:
            raise PabulibError(line, f"the {name} header has no column {column!r}")
    if header[0] != required[0]:
        raise PabulibError(line, f"the {name} header must start with {required[0]!r}")
    if len(set(header)) != len(header):
        raise PabulibError(line, f"the {name} header repeats a column")


def _meta_line(text: str, key: str) -> int:
    for number, content in enumerate(text.splitlines(), start=1):
        if content.split(";", 1)[0].strip() == key:
            return number
        if content.strip().lower() == "projects":
            return number
    return 1


def _read_meta(meta: dict[str, str], text: str) -> tuple[VoteType, Fraction]:
    for key in ("budget", "vote_type"):
        if key not in meta:
            raise PabulibError(_meta_line(text, key), f"META has no {key!r} entry")
    try:
        vote_type = VoteType(meta["vote_type"].lower())
    except ValueError:
        raise PabulibError(_meta_line(text, "vote_type"), f"unknown vote_type {meta['vote_type']!r}") from None
    budget = parse_number(meta["budget"], _meta_line(text, "budget"), "budget")
    if budget < 0:
        raise PabulibError(_meta_line(text, "budget"), "the budget is negative")
    return vote_type, budget


def _read_ballot(
    line: int,
    row: list[str],
    columns: tuple[str, ...],
    vote_type: VoteType,
    projects: dict[str, Project],
) -> Ballot:
    values = {h: v.strip() for h, v in zip(columns, row, strict=True)}
    voter_id = values.pop("voter_id")
    vote = values.pop("vote")
    points_text = values.pop("points", None) if vote_type.has_points else None
    ids = tuple(p.strip() for p in vote.split(",") if p.strip()) if vote else ()
    for pid in ids:
        if pid not in projects:
            raise PabulibError(line, f"the vote names project {pid!r}, which is not in PROJECTS")
    if len(set(ids)) != len(ids):
        raise PabulibError(line, "the vote names a project twice")
    if vote_type is VoteType.CHOOSE_1 and len(ids) > 1:
        raise PabulibError(line, "a choose-1 vote names more than one project")
    points: tuple[Fraction, ...] | None = None
    if vote_type.has_points:
        raw = [p for p in (points_text or "").split(",") if p.strip()]
        if points_text is None and ids:
            raise PabulibError(line, "the VOTES header has no 'points' column")
        if len(raw) != len(ids):
            raise PabulibError(line, f"the vote names {len(ids)} projects but gives {len(raw)} points")
        points = tuple(parse_number(p, line, "points") for p in raw)
    return Ballot(voter_id, ids, points, values)


def write_pabulib(instance: Instance) -> str:
    """The instance as `.pb` text; `parse_pabulib` reads it back to an equal instance."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    meta = dict(instance.meta)
    written = meta.get("budget", "")
    if not _NUMBER.match(written.replace(",", ".")) or Fraction(written.replace(",", ".")) != (instance.budget):
        meta["budget"] = format_number(instance.budget)
    meta["vote_type"] = instance.vote_type.value
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in meta.items():
        writer.writerow([key, value])
    project_columns = list(instance.project_columns) or ["project_id", "cost"]
    for project in instance.projects.values():
        for key in project.meta:
            if key not in project_columns:
                project_columns.append(key)
    out.write("PROJECTS\n")
    writer.writerow(project_columns)
    for project in instance.projects.values():
        fields = {
            "project_id": project.id,
            "cost": format_number(project.cost),
            **project.meta,
        }
        writer.writerow([fields.get(c, "") for c in project_columns])
    vote_columns = list(instance.vote_columns) or ["voter_id", "vote"]
    if instance.vote_type.has_points and "points" not in vote_columns:
        vote_columns.insert(vote_columns.index("vote") + 1, "points")
    for ballot in instance.ballots:
        for key in ballot.meta:
            if key not in vote_columns:
                vote_columns.append(key)
    out.write("VOTES\n")
    writer.writerow(vote_columns)
    for ballot in instance.ballots:
        fields = {
            "voter_id": ballot.voter_id,
            "vote": ",".join(ballot.projects),
            **ballot.meta,
        }
        if ballot.points is not None:
            fields["points"] = ",".join(format_number(p) for p in ballot.points)
        writer.writerow([fields.get(c, "") for c in vote_columns])
    return out.getvalue()


def save_pabulib(instance: Instance, path: str | Path) -> None:
    """Write the instance to a `.pb` file (UTF-8)."""
    Path(path).write_text(write_pabulib(instance), encoding="utf-8")
