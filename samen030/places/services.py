"""Loading Utrecht's geography: the CBS division shipped with the project, boundaries from GeoJSON, and the
postcode table from CSV. Each import is all-or-nothing and returns a report of what it did and skipped."""

from __future__ import annotations

import csv
import io
import json
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from . import geometry as geo
from .models import Buurt, Gemeente, Postcode, Wijk
from .postcodes import normalise_postcode

INDELING_FILE = Path(__file__).parent / "data" / "indeling_2024.json"
MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024


class ImportFailed(Exception):
    """The whole import was refused; nothing was saved."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.skipped:
            text += f", {len(self.skipped)} skipped"
        return text


@transaction.atomic
def load_indeling(path: Path = INDELING_FILE) -> ImportReport:
    """Create or update the gemeente, wijken and buurten from the shipped division file. Idempotent."""
    data = json.loads(path.read_text(encoding="utf-8"))
    year = int(data["indeling_year"])
    report = ImportReport()

    def upsert(model: Any, code: str, values: dict[str, Any]) -> Any:
        obj = model.objects.filter(pk=code).first()
        if obj is None:
            report.created += 1
            return model.objects.create(pk=code, **values)
        changed = {key: value for key, value in values.items() if getattr(obj, key) != value}
        if changed:
            for key, value in changed.items():
                setattr(obj, key, value)
            obj.save(update_fields=list(changed))
            report.updated += 1
        else:
            report.unchanged += 1
        return obj

    gemeente = upsert(Gemeente, data["gemeente"]["code"], {"name": data["gemeente"]["name"], "indeling_year": year})
    for wijk_data in data["wijken"]:
        wijk = upsert(
            Wijk,
            wijk_data["code"],
            {
                "gemeente_id": gemeente.pk,
                "name": wijk_data["name"],
                "indeling_year": year,
                "population": wijk_data.get("population"),
                "population_year": year if wijk_data.get("population") is not None else None,
            },
        )
        for buurt_data in wijk_data["buurten"]:
            upsert(Buurt, buurt_data["code"], {"wijk_id": wijk.pk, "name": buurt_data["name"], "indeling_year": year})
    return report


def read_source(source: str) -> bytes:
    """Read a local path or an http(s) URL, refusing anything larger than MAX_DOWNLOAD_BYTES."""
    if source.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(source, timeout=60) as response:  # noqa: S310 (scheme checked above)
                content: bytes = response.read(MAX_DOWNLOAD_BYTES + 1)
        except OSError as exc:
            raise ImportFailed(f"could not download {source}: {exc}") from exc
    else:
        try:
            content = Path(source).read_bytes()
        except OSError as exc:
            raise ImportFailed(f"could not read {source}: {exc.strerror or exc}") from exc
    if len(content) > MAX_DOWNLOAD_BYTES:
        raise ImportFailed(f"{source} is larger than {MAX_DOWNLOAD_BYTES // (1024 * 1024)} MB")
    return content


CODE_PROPERTIES = ("statcode", "buurtcode", "buurt_code", "wijkcode", "wijk_code", "code")


def _feature_code(feature: dict[str, Any]) -> str | None:
    properties = feature.get("properties") or {}
    # A buurt feature carries its wijk code too, so the statistical code (or the most specific one) goes first.
    for key in CODE_PROPERTIES:
        value = properties.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    identifier = feature.get("id")
    return identifier.strip() if isinstance(identifier, str) and identifier.strip() else None


@transaction.atomic
def import_boundaries(source: str) -> ImportReport:
    """Attach boundaries from a CBS/PDOK wijk- en buurtkaart GeoJSON file (path or URL) to known wijken and
    buurten, matched by CBS code. Features for other areas are skipped and listed; a malformed file or geometry
    stops the whole import."""
    try:
        data = json.loads(read_source(source))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed(f"{source} is not valid JSON: {exc}") from exc
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ImportFailed(f"{source} is not a GeoJSON FeatureCollection")

    buurten = Buurt.objects.in_bulk()
    wijken = Wijk.objects.in_bulk()
    report = ImportReport()
    for number, feature in enumerate(data["features"], start=1):
        if not isinstance(feature, dict):
            raise ImportFailed(f"feature {number} is not an object")
        code = _feature_code(feature)
        area: Buurt | Wijk | None = None
        if code:
            area = buurten.get(code) or wijken.get(code)
        if area is None:
            report.skipped.append(code or f"feature {number} without a code")
            continue
        geometry = feature.get("geometry")
        try:
            geo.polygons(geometry)  # type: ignore[arg-type]
        except geo.GeometryError as exc:
            raise ImportFailed(f"feature {number} ({code}): {exc}") from exc
        if area.geometry == geometry:
            report.unchanged += 1
            continue
        if isinstance(area, Buurt):
            area.set_geometry(geometry)
            area.save(
                update_fields=[
                    "geometry",
                    "min_lon",
                    "min_lat",
                    "max_lon",
                    "max_lat",
                    "point_lon",
                    "point_lat",
                    "point_radius",
                ]
            )
        else:
            area.geometry = geometry
            area.save(update_fields=["geometry"])
        report.updated += 1
    return report


POSTCODE_COLUMNS = ("pc6", "postcode", "pc")
BUURT_COLUMNS = ("buurtcode", "buurt_code", "buurt", "bu_code")


@transaction.atomic
def import_postcodes(source: str, *, replace: bool = False) -> ImportReport:
    """Load a CSV table of PC6 postcodes and buurt codes (comma or semicolon separated, with a header row).
    Rows for buurten outside the known division are skipped and listed; a bad postcode stops the import."""
    raw = read_source(source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{source} is not UTF-8 text") from exc
    try:
        dialect: type[csv.Dialect] = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    headers = {name.strip().lower(): name for name in (reader.fieldnames or [])}
    pc_column = next((headers[c] for c in POSTCODE_COLUMNS if c in headers), None)
    bu_column = next((headers[c] for c in BUURT_COLUMNS if c in headers), None)
    if pc_column is None or bu_column is None:
        raise ImportFailed(
            f"{source} needs a header row with a postcode column (pc6) and a buurt code column (buurtcode)"
        )

    buurten = set(Buurt.objects.values_list("code", flat=True))
    existing = dict(Postcode.objects.values_list("pc6", "buurt_id"))
    wanted: dict[str, str] = {}
    report = ImportReport()
    for line, row in enumerate(reader, start=2):
        pc6 = normalise_postcode(row.get(pc_column) or "")
        if pc6 is None:
            raise ImportFailed(f"line {line}: {row.get(pc_column)!r} is not a Dutch postcode")
        code = (row.get(bu_column) or "").strip()
        if code and not code.startswith("BU") and code.isdigit():
            code = f"BU{code.zfill(8)}"
        if code not in buurten:
            report.skipped.append(f"{pc6} ({code or 'no buurt'})")
            continue
        wanted[pc6] = code

    if replace:
        Postcode.objects.exclude(pc6__in=list(wanted)).delete()
    to_create = [Postcode(pc6=pc6, buurt_id=code) for pc6, code in wanted.items() if pc6 not in existing]
    to_update = [
        Postcode(pc6=pc6, buurt_id=code) for pc6, code in wanted.items() if pc6 in existing and existing[pc6] != code
    ]
    Postcode.objects.bulk_create(to_create, batch_size=2000)
    Postcode.objects.bulk_update(to_update, ["buurt"], batch_size=2000)
    report.created, report.updated = len(to_create), len(to_update)
    report.unchanged = len(wanted) - report.created - report.updated
    return report
