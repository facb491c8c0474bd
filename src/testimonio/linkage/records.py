"""One standard table of comparable fields built from tables of any layout.

Every input table, whatever its columns, becomes rows of the same shape: first given name, the
forms it may stand for (nicknames expanded), paternal and maternal surname, their phonetic keys,
birth year/month/day, sex, nationality, address and phone, all normalised. Splink then compares
like with like. Missing values are nulls, never empty strings, so that Splink's null levels
treat "not recorded" as no evidence rather than as disagreement.

What must always hold: each output row keeps its ``source`` and ``record_id`` so every cluster
can be traced back to the row it came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from typing import Any

import pandas as pd

from testimonio.linkage.dates import (
    PartialDate,
    birth_interval,
    full_date_iso,
    month_first_column,
    parse_birth_date,
)
from testimonio.linkage.names import (
    NICKNAMES,
    PARTICLES,
    SplitName,
    canonical_given_names,
    normalise_text,
    spanish_phonetic_key,
    split_full_name,
    split_surnames,
)

__all__ = ["STANDARD_COLUMNS", "prepare_records"]

STANDARD_COLUMNS = (
    "unique_id", "source", "record_id", "given_name", "given_forms", "given_key", "given_second",
    "surname1", "surname2", "surnames", "surname1_key", "surname2_key", "name_tokens", "birth_year",
    "birth_month", "birth_day", "birth_date", "birth_first", "birth_last", "sex", "nationality",
    "address", "phone", "port", "encounter_day",
)  # fmt: skip

_SEX = {
    "m": "m", "male": "m", "man": "m", "hombre": "m", "masculino": "m", "h": "m", "varon": "m",
    "homme": "m", "masculin": "m", "f": "f", "female": "f", "woman": "f", "mujer": "f",
    "femenino": "f", "femme": "f", "feminin": "f",
}  # fmt: skip

#: Country names, demonyms and ISO codes of the region -> one spelling.
_COUNTRIES = {
    "mexico": ("mexicano", "mexicana", "mex", "mx"),
    "guatemala": ("guatemalteco", "guatemalteca", "gtm", "gt"),
    "honduras": ("hondureno", "hondurena", "hnd", "hn"),
    "el salvador": ("salvadoreno", "salvadorena", "slv", "sv", "salvador"),
    "nicaragua": ("nicaraguense", "nic", "ni"),
    "venezuela": ("venezolano", "venezolana", "ven", "ve"),
    "haiti": ("haitiano", "haitiana", "haitian", "haitien", "haitienne", "hti", "ht", "ayiti"),
    "cuba": ("cubano", "cubana", "cub", "cu"),
    "colombia": ("colombiano", "colombiana", "col", "co"),
    "ecuador": ("ecuatoriano", "ecuatoriana", "ecu", "ec"),
    "peru": ("peruano", "peruana", "per", "pe"),
    "united states": ("usa", "us", "estados unidos", "estadounidense", "american"),
    "brazil": ("brasil", "brasileno", "brasilena", "brazilian", "bra", "br"),
    "cameroon": ("camerun", "cameroun", "camerunes", "cameroonian", "cmr", "cm"),
    "dr congo": (
        "republica democratica del congo",
        "rd congo",
        "rdc",
        "drc",
        "congolese",
        "congoleno",
        "cod",
        "cd",
    ),
    "russia": ("rusia", "russian", "ruso", "rusa", "rus", "ru"),
    "bangladesh": ("banglades", "bangladeshi", "bgd", "bd"),
    "ethiopia": ("etiopia", "ethiopian", "etiope", "eth", "et"),
    "turkey": ("turquia", "turkiye", "turkish", "turco", "turca", "tur", "tr"),
}
_NATIONALITY = {alias: country for country, aliases in _COUNTRIES.items() for alias in aliases}


def _mapped(series: pd.Series, function: Callable[[Any], Any]) -> pd.Series:
    """Apply ``function`` once per distinct value: names repeat, so this is much faster."""
    uniques = series.drop_duplicates()
    lookup: dict[Hashable, Any] = {value: function(value) for value in uniques}
    return series.map(lookup)


def _blank_to_null(value: str) -> str | None:
    return value or None


def prepare_records(frame: pd.DataFrame, columns: dict[str, str], source: str) -> pd.DataFrame:
    """The standard table for one input: ``columns`` maps our fields to ``frame``'s columns.

    ``record_id`` comes from the column mapped to it, else the 1-based data row number.
    ``unique_id`` is left to the caller, which numbers the rows of all tables together.
    """
    out = pd.DataFrame(index=frame.index)
    out["source"] = source
    if "record_id" in columns:
        out["record_id"] = frame[columns["record_id"]].astype(str)
    else:
        out["record_id"] = [str(number) for number in range(1, len(frame) + 1)]
    names = _split_names(frame, columns)
    _add_name_columns(out, names)
    _add_birth_columns(out, frame, columns)
    _add_supporting_columns(out, frame, columns)
    return out.reset_index(drop=True)


def _column(frame: pd.DataFrame, columns: dict[str, str], field: str) -> pd.Series:
    if field in columns:
        return frame[columns[field]].fillna("").astype(str)
    return pd.Series("", index=frame.index, dtype=object)


def _split_names(frame: pd.DataFrame, columns: dict[str, str]) -> pd.Series:
    """A :class:`SplitName` per row, from whichever name columns the table has."""
    given = _column(frame, columns, "given_name")
    surname = _column(frame, columns, "surname")
    paternal = _column(frame, columns, "paternal_surname")
    maternal = _column(frame, columns, "maternal_surname")
    full = _column(frame, columns, "full_name")
    combined = given + "\x1f" + surname + "\x1f" + paternal + "\x1f" + maternal + "\x1f" + full
    return _mapped(combined, _split_one)


def _split_one(combined: str) -> SplitName:
    given, surname, paternal, maternal, full = combined.split("\x1f")
    if not (given or surname or paternal or maternal):
        return split_full_name(full)
    if paternal or maternal:
        first_paternal = split_surnames(paternal)[0]
        first_maternal = split_surnames(maternal)[0]
        if not first_paternal:  # only the maternal surname was written
            first_paternal, first_maternal = first_maternal, ""
    else:
        first_paternal, first_maternal = split_surnames(surname)
    given_tokens = [token for token in normalise_text(given).split(" ") if token]
    given_forms = canonical_given_names(given)
    first_given = given_forms[0] if given_forms else (given_tokens[0] if given_tokens else "")
    return SplitName(first_given, " ".join(given_tokens), first_paternal, first_maternal)


def _add_name_columns(out: pd.DataFrame, names: pd.Series) -> None:
    out["given_name"] = [_blank_to_null(name.given) for name in names]
    forms = [list(canonical_given_names(name.given_all)) or None for name in names]
    out["given_forms"] = pd.Series(forms, index=out.index, dtype=object)
    out["given_key"] = _mapped(out["given_name"].map(_given_key_source), _key)
    out["surname1"] = [_blank_to_null(name.paternal) for name in names]
    out["surname2"] = [_blank_to_null(name.maternal) for name in names]
    # Both surnames together: how common the pair is says more than the paternal alone
    # (García is common, García Calvillo is not).
    out["surnames"] = [
        f"{name.paternal} {name.maternal}" if name.paternal and name.maternal else None
        for name in names
    ]
    out["surname1_key"] = _mapped(out["surname1"], _key)
    out["surname2_key"] = _mapped(out["surname2"], _key)
    out["given_second"] = [_second_given(name) for name in names]
    tokens = [_name_tokens(name) for name in names]
    out["name_tokens"] = pd.Series(tokens, index=out.index, dtype=object)


def _second_given(name: SplitName) -> str | None:
    """The second given name (José *Luis*): siblings often share the first."""
    words = [word for word in name.given_all.split(" ") if word and word not in PARTICLES]
    return words[1] if len(words) > 1 else None


def _name_tokens(name: SplitName) -> list[str] | None:
    """Every word of the name, sorted: finds the same person when a full name was split in
    the wrong place (a compound given name read as a surname, surnames written first)."""
    words = f"{name.given_all} {name.paternal} {name.maternal}".split(" ")
    return sorted({word for word in words if word and word not in PARTICLES}) or None


def _given_key_source(given: str | None) -> str | None:
    """The name a nickname stands for (Chuy -> jesus), else the given name itself."""
    if not given:
        return None
    expansions = NICKNAMES.get(given)
    return expansions[0].split(" ")[0] if expansions else given


def _key(value: str | None) -> str | None:
    return _blank_to_null(spanish_phonetic_key(value)) if value else None


def _dates(frame: pd.DataFrame, columns: dict[str, str], field: str) -> pd.Series:
    """A :class:`PartialDate` per row, slashed dates read in the order the column uses."""
    text = _column(frame, columns, field)
    month_first = month_first_column(text.drop_duplicates())
    return _mapped(text, lambda value: parse_birth_date(value, month_first=month_first))


def _add_birth_columns(out: pd.DataFrame, frame: pd.DataFrame, columns: dict[str, str]) -> None:
    dates = _dates(frame, columns, "birth_date")
    years = _dates(frame, columns, "birth_year")
    births = [date if date.year else year for date, year in zip(dates, years, strict=True)]
    out["birth_year"] = pd.array([date.year for date in births], dtype="Int32")
    out["birth_month"] = pd.array([date.month for date in births], dtype="Int32")
    out["birth_day"] = pd.array([date.day for date in births], dtype="Int32")
    out["birth_date"] = [full_date_iso(date) for date in births]
    _add_birth_interval(out, births, frame, columns)


_EPOCH = dt.date(1970, 1, 1)


def _day_number(day: dt.date | None) -> int | None:
    return None if day is None else (day - _EPOCH).days


def _add_birth_interval(
    out: pd.DataFrame, births: list[PartialDate], frame: pd.DataFrame, columns: dict[str, str]
) -> None:
    """First and last possible birth day (days since 1970), from the date, the year and the
    age on the day the record was taken (or, lacking it, the day of the encounter)."""
    ages = pd.to_numeric(_column(frame, columns, "age").str.strip(), errors="coerce")
    taken = _dates(frame, columns, "record_date")
    if "record_date" not in columns:
        taken = _dates(frame, columns, "encounter_date")
    keys = pd.Series(
        list(zip(births, ages.where(ages.notna(), None), taken, strict=True)), index=out.index
    )
    spans = _mapped(keys, lambda key: _interval_days(*key))
    out["birth_first"] = pd.array([span[0] for span in spans], dtype="Int32")
    out["birth_last"] = pd.array([span[1] for span in spans], dtype="Int32")


def _interval_days(birth: PartialDate, age: float | None, on: PartialDate) -> tuple[Any, Any]:
    whole_age = int(age) if age is not None and float(age).is_integer() else None
    span = birth_interval(birth, whole_age, on)
    return (None, None) if span is None else (_day_number(span[0]), _day_number(span[1]))


def _add_supporting_columns(
    out: pd.DataFrame, frame: pd.DataFrame, columns: dict[str, str]
) -> None:
    sex = _mapped(_column(frame, columns, "sex"), normalise_text)
    codes = {**_SEX, "m": "f"} if (sex == "h").any() else _SEX  # H/M: hombre/mujer
    out["sex"] = sex.map(codes).astype(object).where(sex.map(codes).notna(), None)
    nationality = _mapped(_column(frame, columns, "nationality"), normalise_text)
    out["nationality"] = nationality.map(lambda text: _NATIONALITY.get(text, text) or None)
    out["address"] = _mapped(_column(frame, columns, "address"), normalise_text).map(_blank_to_null)
    out["phone"] = _mapped(_column(frame, columns, "phone"), _phone_digits)
    out["port"] = _mapped(_column(frame, columns, "port"), normalise_text).map(_blank_to_null)
    encounters = _dates(frame, columns, "encounter_date")
    out["encounter_day"] = pd.array(
        [_day_number(_full_day(date)) for date in encounters], dtype="Int32"
    )


def _full_day(date: PartialDate) -> dt.date | None:
    iso = full_date_iso(date)
    return None if iso is None else dt.date.fromisoformat(iso)


def _phone_digits(value: str) -> str | None:
    """The last 8 digits: country and area prefixes are written inconsistently."""
    digits = "".join(char for char in value if char.isdigit())
    return digits[-8:] if len(digits) >= 7 else None
