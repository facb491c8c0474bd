"""One standard table of comparable fields built from tables of any layout.

Every input table, whatever its columns, becomes rows of the same shape: first given name, the
forms it may stand for (nicknames expanded), paternal and maternal surname, their phonetic keys,
birth year/month/day, sex, nationality, address (one column or several: street, locality,
postcode, region) and phone, all normalised. Splink then compares
like with like. Missing values are nulls, never empty strings, so that Splink's null levels
treat "not recorded" as no evidence rather than as disagreement.

What must always hold: each output row keeps its ``source`` and ``record_id`` so every cluster
can be traced back to the row it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from testimonio.linkage.addresses import address_columns
from testimonio.linkage.dates import birth_interval_days, day_numbers
from testimonio.linkage.names import (
    NICKNAMES,
    PARTICLES,
    SplitName,
    canonical_given_names,
    normalise_keeping_enye,
    spanish_phonetic_key,
    split_full_name,
    split_surnames,
)
from testimonio.partial_dates import PartialDate, birth_date_reader

__all__ = ["STANDARD_COLUMNS", "prepare_records"]

STANDARD_COLUMNS = (
    "unique_id", "source", "record_id", "given_name", "given_forms", "given_key", "given_second",
    "surname1", "surname2", "surnames", "surname1_key", "surname2_key", "name_tokens", "birth_year",
    "birth_month", "birth_day", "birth_date", "birth_first", "birth_last", "sex", "nationality",
    "address", "address_tokens", "locality", "postcode", "region", "phone", "port",
    "encounter_day",
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


def _per_distinct(
    series: pd.Series, function: Callable[[str], tuple[Any, ...]], width: int
) -> list[np.ndarray]:
    """``function`` of each distinct value, spread back over the rows: one object array per
    element of the ``width``-long tuples it returns. Faster than :func:`_mapped` for several
    outputs at once, and the arrays are taken by position, without a hash lookup per row."""
    codes, uniques = pd.factorize(series, sort=False)
    results = [function(value) for value in uniques]
    columns = []
    for position in range(width):
        values = np.empty(len(results), dtype=object)
        for index, result in enumerate(results):
            values[index] = result[position]
        columns.append(values[codes] if len(codes) else values[:0])
    return columns


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
    """The combined name fields of each row, as one string to split (see :func:`_split_one`)."""
    given = _column(frame, columns, "given_name")
    surname = _column(frame, columns, "surname")
    paternal = _column(frame, columns, "paternal_surname")
    maternal = _column(frame, columns, "maternal_surname")
    full = _column(frame, columns, "full_name")
    return given + "\x1f" + surname + "\x1f" + paternal + "\x1f" + maternal + "\x1f" + full


def _split_one(combined: str) -> SplitName:
    given, surname, paternal, maternal, full = combined.split("\x1f")
    if not (given or surname or paternal or maternal):
        return _split_full_name(full)
    if paternal or maternal:
        first_paternal = _split_surnames(paternal)[0]
        first_maternal = _split_surnames(maternal)[0]
        if not first_paternal:  # only the maternal surname was written
            first_paternal, first_maternal = first_maternal, ""
    else:
        first_paternal, first_maternal = _split_surnames(surname)
    first_given, given_all = _given_parts(given)
    return SplitName(first_given, given_all, first_paternal, first_maternal)


# The parts of a combined name repeat far more than the combinations (a million records have
# hundreds of thousands of distinct full names but a few thousand distinct given names), so
# each part is worked out once per distinct text.
_split_surnames = lru_cache(maxsize=500_000)(split_surnames)
_split_full_name = lru_cache(maxsize=500_000)(split_full_name)


@lru_cache(maxsize=500_000)
def _given_parts(given: str) -> tuple[str, str]:
    """First given name (the name a nickname stands for) and all given names, normalised."""
    given_tokens = [token for token in normalise_keeping_enye(given).split(" ") if token]
    given_forms = canonical_given_names(given)
    first_given = given_forms[0] if given_forms else (given_tokens[0] if given_tokens else "")
    return first_given, " ".join(given_tokens)


def _name_fields(combined: str) -> tuple[Any, ...]:
    """Every name column of :data:`STANDARD_COLUMNS` from one combined name (one distinct
    value of :func:`_split_names`), in the order :func:`_add_name_columns` stores them."""
    name = _split_one(combined)
    return (
        _blank_to_null(name.given),
        list(canonical_given_names(name.given_all)) or None,
        _blank_to_null(name.paternal),
        _blank_to_null(name.maternal),
        # Both surnames together: how common the pair is says more than the paternal alone
        # (García is common, García Calvillo is not).
        f"{name.paternal} {name.maternal}" if name.paternal and name.maternal else None,
        _second_given(name),
        _name_tokens(name),
    )


def _add_name_columns(out: pd.DataFrame, names: pd.Series) -> None:
    given, forms, paternal, maternal, surnames, second, tokens = _per_distinct(
        names, _name_fields, 7
    )
    out["given_name"] = given
    out["given_forms"] = pd.Series(forms, index=out.index, dtype=object)
    out["given_key"] = _mapped(out["given_name"].map(_given_key_source), _key)
    out["surname1"] = paternal
    out["surname2"] = maternal
    out["surnames"] = surnames
    out["surname1_key"] = _mapped(out["surname1"], _key)
    out["surname2_key"] = _mapped(out["surname2"], _key)
    out["given_second"] = second
    out["name_tokens"] = pd.Series(tokens, index=out.index, dtype=object)


def _second_given(name: SplitName) -> str | None:
    """The second given name (José *Luis*): siblings often share the first."""
    return _second_word(name.given_all)


@lru_cache(maxsize=500_000)
def _second_word(given_all: str) -> str | None:
    words = [word for word in given_all.split(" ") if word and word not in PARTICLES]
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


def _date_parts(
    frame: pd.DataFrame, columns: dict[str, str], field: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of each row's date as float arrays (NaN where not written), slashed
    dates read in the order the column uses; each distinct text is parsed once."""
    text = _column(frame, columns, field)
    read = birth_date_reader(text.drop_duplicates())

    def parts(value: str) -> tuple[float, float, float]:
        date = read(value)
        return tuple(np.nan if part is None else float(part) for part in _parts(date))  # type: ignore[return-value]

    year, month, day = _per_distinct(text, parts, 3)
    return year.astype(float), month.astype(float), day.astype(float)


def _parts(date: PartialDate) -> tuple[int | None, int | None, int | None]:
    return date.year, date.month, date.day


def _int32(values: np.ndarray, known: np.ndarray) -> pd.arrays.IntegerArray:
    """A nullable Int32 column: ``values`` where ``known``, else null."""
    filled = np.where(known, values, 0).astype(np.int32)
    return pd.arrays.IntegerArray(filled, ~known)


def _add_birth_columns(out: pd.DataFrame, frame: pd.DataFrame, columns: dict[str, str]) -> None:
    date = _date_parts(frame, columns, "birth_date")
    year = _date_parts(frame, columns, "birth_year")
    # The written date if it has a year, else whatever the year column says.
    from_date = ~np.isnan(date[0])
    births = tuple(np.where(from_date, d, y) for d, y in zip(date, year, strict=True))
    for name, part in zip(("birth_year", "birth_month", "birth_day"), births, strict=True):
        out[name] = _int32(np.nan_to_num(part), ~np.isnan(part))
    out["birth_date"] = _iso_days(births)
    _add_birth_interval(out, births, frame, columns)  # type: ignore[arg-type]


def _iso_days(parts: tuple[np.ndarray, ...]) -> np.ndarray:
    """YYYY-MM-DD where the whole date is known, else None (see :func:`full_date_iso`)."""
    year, month, day = parts
    full = ~np.isnan(year) & ~np.isnan(month) & ~np.isnan(day)
    days = day_numbers(np.where(full, year, 1970), np.where(full, month, 1), np.where(full, day, 1))
    text = np.datetime_as_string(days.astype("datetime64[D]"), unit="D").astype(object)
    text[~full] = None
    return text


def _add_birth_interval(
    out: pd.DataFrame,
    births: tuple[np.ndarray, np.ndarray, np.ndarray],
    frame: pd.DataFrame,
    columns: dict[str, str],
) -> None:
    """First and last possible birth day (days since 1970), from the date, the year and the
    age on the day the record was taken (or, lacking it, the day of the encounter)."""
    ages = pd.to_numeric(_column(frame, columns, "age").str.strip(), errors="coerce")
    age = ages.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    field = "record_date" if "record_date" in columns else "encounter_date"
    taken = _date_parts(frame, columns, field)
    first, last, known = birth_interval_days(births, age, taken)
    out["birth_first"] = _int32(first, known)
    out["birth_last"] = _int32(last, known)


def _add_supporting_columns(
    out: pd.DataFrame, frame: pd.DataFrame, columns: dict[str, str]
) -> None:
    sex = _mapped(_column(frame, columns, "sex"), normalise_keeping_enye)
    codes = {**_SEX, "m": "f"} if (sex == "h").any() else _SEX  # H/M: hombre/mujer
    out["sex"] = sex.map(codes).astype(object).where(sex.map(codes).notna(), None)
    nationality = _mapped(_column(frame, columns, "nationality"), normalise_keeping_enye)
    out["nationality"] = nationality.map(lambda text: _NATIONALITY.get(text, text) or None)
    for name, values in address_columns(frame, columns).items():
        out[name] = values
    out["phone"] = _mapped(_column(frame, columns, "phone"), _phone_digits)
    out["port"] = _mapped(_column(frame, columns, "port"), normalise_keeping_enye).map(
        _blank_to_null
    )
    year, month, day = _date_parts(frame, columns, "encounter_date")
    full = ~np.isnan(year) & ~np.isnan(month) & ~np.isnan(day)
    days = day_numbers(np.where(full, year, 1970), np.where(full, month, 1), np.where(full, day, 1))
    out["encounter_day"] = _int32(days, full)


def _phone_digits(value: str) -> str | None:
    """The last 8 digits: country and area prefixes are written inconsistently."""
    digits = "".join(char for char in value if char.isdigit())
    return digits[-8:] if len(digits) >= 7 else None
