"""Declarations for a simulated snapshot: exhibits whose paragraphs tell the record's attempts.

The simulated declarations source holds one record per declarant; each of the first
``limit`` of them becomes an exhibit (numbered 1, 2, ... in record order, as class counsel
files them). Its paragraphs follow a declaration's usual anatomy: three paragraphs about the
declarant, then one paragraph per attempt the record reports (in encounter order), coded with
the tactics that record's encounter is coded with, then two closing paragraphs. It is signed
the month after its last attempt; it is in Spanish for a share of declarants, in English
otherwise, and read by an interpreter when the declarant's language is neither.

Coder agreement is simulated as blind double coding: a second coder reads ``double_share`` of
the coded paragraphs and marks each of their terms again, missing one with probability
``miss``; alpha is then measured by the same code the web app uses
(:func:`testimonio.declarations.measure_agreement`), so the packet's agreement table is tested
on a real measurement, not on typed-in numbers.

Numbers and codes only, like every snapshot table: no text, no name.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from testimonio.analysis.agreement_tables import agreement_frames
from testimonio.analysis.ids import padded_ids
from testimonio.analysis.snapshot_schema import TABLES
from testimonio.declarations import Mark, measure_agreement

__all__ = ["FIRST_ATTEMPT_PARAGRAPH", "simulated_declarations"]

#: Paragraphs 1-3 introduce the declarant; attempts are told from paragraph 4 on.
FIRST_ATTEMPT_PARAGRAPH = 4
SPANISH_SHARE = 0.35
DOCUMENT_LANGUAGE = {"en": "eng", "es": "spa"}


def _signed(encounters: pd.DataFrame) -> pd.Series:
    """The first day of the month after each record's last attempt (by year and month)."""
    month = encounters["date_month"].fillna(12).astype(int)
    order = encounters["date_year"].astype(int) * 12 + month - 1
    last = order.groupby(encounters["record_id"]).max() + 1
    return pd.to_datetime(
        pd.DataFrame({"year": last // 12, "month": last % 12 + 1, "day": 1})
    ).set_axis(last.index)


def simulated_declarations(
    tables: dict[str, pd.DataFrame],
    limit: int,
    *,
    seed: int = 0,
    double_share: float = 0.3,
    miss: float = 0.1,
    minimum_alpha: float = 0.667,
) -> dict[str, pd.DataFrame]:
    """``declarations``, ``paragraph_codings``, ``coder_agreement`` and ``coder_kappa``."""
    kinds = dict(zip(tables["sources"]["source_id"], tables["sources"]["kind"], strict=True))
    records = tables["records"]
    chosen = records[records["source_id"].map(kinds) == "declarations"].head(limit)
    if chosen.empty or limit <= 0:
        return {}
    encounters = tables["encounters"]
    mine = encounters[encounters["record_id"].isin(chosen["record_id"])].sort_values("encounter_id")
    rng = np.random.default_rng([seed, 17])
    ids = padded_ids("D-", np.arange(len(chosen)))
    declaration_of = dict(zip(chosen["record_id"], ids, strict=True))
    language = np.where(rng.random(len(chosen)) < SPANISH_SHARE, "es", "en")
    told = mine.groupby("record_id").size()
    ports = (
        mine.dropna(subset=["port"])
        .groupby("record_id")["port"]
        .agg(lambda values: " ".join(sorted(set(values))))
    )
    signed = _signed(mine)
    frame = pd.DataFrame(
        {
            "declaration_id": ids,
            "exhibit": [str(number) for number in range(1, len(chosen) + 1)],
            "ecf_reference": "",
            "person_id": chosen["person_id"].to_numpy(),
            "date_signed": chosen["record_id"].map(signed).to_numpy(),
            "ports": chosen["record_id"].map(ports).fillna("").to_numpy(),
            "language": language,
            "interpreter": chosen["language"].to_numpy()
            != np.vectorize(DOCUMENT_LANGUAGE.get)(language),
            "translation_of": None,
            "paragraphs": (chosen["record_id"].map(told).fillna(0).astype(int) + 5).to_numpy(),
        },
        columns=list(TABLES["declarations"].column_names),
    )
    codings = _paragraph_codings(mine, tables["codings"], declaration_of)
    result = {"declarations": frame, "paragraph_codings": codings}
    result.update(_agreement(codings, rng, double_share, miss, minimum_alpha))
    return result


def _paragraph_codings(
    encounters: pd.DataFrame, codings: pd.DataFrame, declaration_of: dict[str, str]
) -> pd.DataFrame:
    numbered = encounters[["encounter_id", "record_id"]].copy()
    numbered["paragraph"] = (
        numbered.groupby("record_id").cumcount() + FIRST_ATTEMPT_PARAGRAPH
    ).astype(str)
    joined = numbered.merge(codings[["encounter_id", "term_code"]], on="encounter_id")
    return pd.DataFrame(
        {
            "declaration_id": joined["record_id"].map(declaration_of).to_numpy(),
            "paragraph": joined["paragraph"].to_numpy(),
            "term_code": joined["term_code"].to_numpy(),
            "encounter_id": joined["encounter_id"].to_numpy(),
            "coders": 1,
        },
        columns=list(TABLES["paragraph_codings"].column_names),
    )


def _agreement(
    codings: pd.DataFrame,
    rng: np.random.Generator,
    double_share: float,
    miss: float,
    minimum_alpha: float,
) -> dict[str, pd.DataFrame]:
    units = codings["declaration_id"] + "¶" + codings["paragraph"]
    marks = [Mark(unit, "first", code) for unit, code in zip(units, codings["term_code"],
                                                             strict=True)]  # fmt: skip
    sample = {unit for unit in sorted(set(units)) if rng.random() < double_share}
    marks += [
        Mark(mark.unit, "second", mark.term)
        for mark in marks
        if mark.unit in sample and rng.random() >= miss
    ]
    read = [(unit, coder) for unit in sorted(set(units)) for coder in ("first",)]
    read += [(unit, "second") for unit in sorted(sample)]
    results = measure_agreement(marks, read, minimum_alpha=minimum_alpha, replicates=200)
    return agreement_frames(results, minimum_alpha)
