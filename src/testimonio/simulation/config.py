"""Every parameter of the synthetic world, in one frozen object.

A test sets the truth by building a :class:`SimulationConfig` (usually with
:func:`dataclasses.replace` on the default) and checks what the simulator produced against it.
Probabilities are per person or per encounter as each field says; codes are the vocabulary
codes shipped in ``testimonio/vocab/data/turnbacks`` (tactics ``TAC.*``, outcomes ``OUT.*``,
vulnerabilities ``VUL.*``), port codes are ``ports.csv`` codes, nationalities ISO 3166 alpha-2
and languages ISO 639-3, so that the truth can be compared with coding later.

What must always hold: the same config (including ``seed``) gives the same world, byte for byte.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from testimonio.errors import ConfigurationError

#: The four kinds of documentation source the simulator knows how to write.
SOURCE_KINDS = ("legal_aid", "kobo", "partner", "declarations")


@dataclass(frozen=True)
class NoiseRates:
    """How often a source's records differ from the truth (probability per record)."""

    typo: float = 0.04  # one keyboard or phonetic misspelling in a name part
    drop_accents: float = 0.25  # José -> Jose, Peña -> Pena
    swap_surnames: float = 0.03  # maternal surname written before the paternal one
    swap_given_and_surname: float = 0.02  # given names in the surname field and vice versa
    nickname: float = 0.06  # Jesús -> Chuy, Guadalupe -> Lupe (when a nickname exists)
    drop_maternal_surname: float = 0.12  # only the first surname written
    partial_birth_date: float = 0.05  # a known full date recorded as the year only
    missing_birth_date: float = 0.05  # a known date not recorded at all
    duplicate: float = 0.03  # the same person entered a second time (with fresh noise)


@dataclass(frozen=True)
class SourceSpec:
    """One documentation source: who holds it, and how it captures people.

    ``capture_probability`` is the probability that a person who was ever turned away, of
    average visibility, at no port with a regional effect, with one turn-back and no dependence
    on other lists, appears in this list. Heterogeneity and dependence move it (see
    :class:`SimulationConfig`).
    """

    key: str
    kind: str
    organization: str
    capture_probability: float
    visibility_loading: float = 1.0  # weight of the shared latent visibility on this list
    state_log_odds: tuple[tuple[str, float], ...] = ()  # (US state of the port, log-odds shift)
    minimum_age: int = 0  # younger people are never on this list (declarants are 16 or older)
    noise: NoiseRates = NoiseRates()


@dataclass(frozen=True)
class ListDependence:
    """Being on ``earlier`` multiplies the odds of being on ``later`` by ``exp(log_odds_ratio)``."""

    earlier: str
    later: str
    log_odds_ratio: float


@dataclass(frozen=True)
class TacticRate:
    """Probability of a tactic in a turned-back encounter, before and after metering began.

    ``applies_to`` restricts the tactic: ``all``, ``families`` (units with children),
    ``fear_expressed`` (the person said they were afraid) or ``language_barrier`` (primary
    language neither Spanish nor English).
    """

    code: str
    before_metering: float
    after_metering: float
    applies_to: str = "all"


DEFAULT_SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec(
        key="legal_aid",
        kind="legal_aid",
        organization="Frontera Legal Aid Project (intake log)",
        capture_probability=0.22,
        visibility_loading=1.0,
        state_log_odds=(("CA", 0.8), ("TX", -0.3)),
        noise=NoiseRates(drop_accents=0.55),
    ),
    SourceSpec(
        key="shelter_survey",
        kind="kobo",
        organization="Casa Refugio shelter (KoboToolbox survey)",
        capture_probability=0.18,
        visibility_loading=0.7,
        state_log_odds=(("TX", 0.7), ("CA", -0.4)),
        noise=NoiseRates(drop_accents=0.15, nickname=0.10),
    ),
    SourceSpec(
        key="partner_spreadsheet",
        kind="partner",
        organization="Red de Monitoreo Fronterizo (partner spreadsheet)",
        capture_probability=0.12,
        visibility_loading=1.2,
        state_log_odds=(("AZ", 0.9),),
        noise=NoiseRates(typo=0.07, drop_accents=0.35, duplicate=0.05),
    ),
    SourceSpec(
        key="declarations",
        kind="declarations",
        organization="Class counsel (filed declarations)",
        capture_probability=0.005,
        visibility_loading=0.5,
        minimum_age=16,
        noise=NoiseRates(typo=0.01, drop_accents=0.05, nickname=0.0, duplicate=0.0),
    ),
)

DEFAULT_DEPENDENCE: tuple[ListDependence, ...] = (
    # Declarants are found among legal-aid clients: strong positive dependence.
    ListDependence("legal_aid", "declarations", 2.0),
    # The partner network refers people to the shelter's surveyors.
    ListDependence("shelter_survey", "partner_spreadsheet", 0.8),
    # People who reached legal aid rarely needed the shelter survey: negative dependence.
    ListDependence("legal_aid", "shelter_survey", -0.4),
)

DEFAULT_TACTICS: tuple[TacticRate, ...] = (
    TacticRate("TAC.MISINFO.NO_ASYLUM", 0.45, 0.30),
    TacticRate("TAC.MISINFO.NATIONALITY", 0.12, 0.08),
    TacticRate("TAC.MISINFO.APPOINTMENT", 0.20, 0.25),
    TacticRate("TAC.DENY.CAPACITY", 0.25, 0.70),
    TacticRate("TAC.DENY.LIMIT_LINE", 0.03, 0.65),
    TacticRate("TAC.DENY.WAITLIST", 0.05, 0.80),
    TacticRate("TAC.DENY.REDIRECT", 0.08, 0.10),
    TacticRate("TAC.FEAR_IGNORED", 0.60, 0.40, applies_to="fear_expressed"),
    TacticRate("TAC.THREAT.FAMILY_SEP", 0.25, 0.15, applies_to="families"),
    TacticRate("TAC.THREAT.DETENTION", 0.12, 0.06),
    TacticRate("TAC.THREAT.DEPORTATION", 0.15, 0.08),
    TacticRate("TAC.INTIMIDATION", 0.20, 0.12),
    TacticRate("TAC.VERBAL_ABUSE", 0.15, 0.08),
    TacticRate("TAC.PHYS_ABUSE.PUSH", 0.06, 0.03),
    TacticRate("TAC.COERCION.SIGN", 0.08, 0.04),
    TacticRate("TAC.COERCION.RECANT", 0.07, 0.03),
    TacticRate("TAC.LANGUAGE.NO_INTERPRETER", 0.50, 0.40, applies_to="language_barrier"),
    TacticRate("TAC.HANDOVER.INM", 0.04, 0.03),
)

#: (port, tactic, multiplier): local practice that differs from the border-wide rate.
DEFAULT_PORT_TACTIC_MULTIPLIERS: tuple[tuple[str, str, float], ...] = (
    ("2402-PDN", "TAC.PHYS_ABUSE.PUSH", 2.5),
    ("2402-PDN", "TAC.THREAT.DETENTION", 1.8),
    ("2305-HID", "TAC.THREAT.FAMILY_SEP", 1.8),
    ("2305-HID", "TAC.MISINFO.NATIONALITY", 2.0),
    ("2504-SYS", "TAC.MISINFO.NO_ASYLUM", 1.5),
    ("2604-DEC", "TAC.DENY.REDIRECT", 3.0),
)

#: Relative number of arrivals by port (unlisted ports: ``other_port_weight`` each).
DEFAULT_PORT_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("2504-SYS", 22.0),
    ("2504-PEDW", 8.0),
    ("2506-OTM", 3.0),
    ("2503-CXW", 5.0),
    ("2604-DEC", 6.0),
    ("2604-MOR", 2.0),
    ("2402-PDN", 9.0),
    ("2402-BOTA", 4.0),
    ("2402-YSL", 2.0),
    ("2303-EP1", 3.0),
    ("2302-DRT", 2.0),
    ("2304-GAT", 3.0),
    ("2305-HID", 9.0),
    ("2305-ANZ", 2.0),
    ("2301-GAT", 6.0),
    ("2301-BM", 2.0),
    ("2310-ROM", 2.0),
)

#: Ports that metered before the border-wide date (Tijuana, Mexicali, Nogales in 2016).
DEFAULT_EARLY_METERING: tuple[tuple[str, date], ...] = (
    ("2504-SYS", date(2016, 11, 1)),
    ("2504-PEDW", date(2016, 11, 1)),
    ("2503-CXW", date(2016, 11, 15)),
    ("2604-DEC", date(2017, 1, 1)),
)

DEFAULT_NATIONALITY_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("MX", 30.0), ("HN", 18.0), ("GT", 17.0), ("SV", 10.0), ("NI", 3.0), ("HT", 7.0),
    ("CU", 4.0), ("VE", 2.0), ("CO", 0.8), ("EC", 0.6), ("BR", 0.8), ("CM", 1.5), ("CD", 0.5),
    ("ER", 0.4), ("ET", 0.3), ("GH", 0.4), ("GN", 0.3), ("IN", 1.2), ("BD", 0.3), ("NP", 0.2),
    ("RU", 0.4), ("TR", 0.2), ("UZ", 0.2),
)  # fmt: skip

#: Primary language of a family unit by nationality: (nationality, ((language, weight), ...)).
DEFAULT_LANGUAGES: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = (
    ("MX", (("spa", 92.0), ("tzo", 2.0), ("tzh", 2.0), ("zap", 2.0), ("nah", 2.0))),
    ("GT", (("spa", 58.0), ("quc", 12.0), ("mam", 10.0), ("kjb", 6.0), ("kek", 5.0),
            ("cak", 3.0), ("ixl", 2.0), ("knj", 1.0), ("jac", 1.0), ("cac", 1.0), ("acr", 1.0))),
    ("HN", (("spa", 96.0), ("cab", 3.0), ("miq", 1.0))),
    ("SV", (("spa", 99.0), ("ppl", 1.0))),
    ("NI", (("spa", 98.0), ("miq", 2.0))),
    ("HT", (("hat", 85.0), ("fra", 15.0))),
    ("BR", (("por", 1.0),)),
    ("CM", (("eng", 40.0), ("fra", 40.0), ("wes", 20.0))),
    ("CD", (("fra", 60.0), ("lin", 30.0), ("swa", 10.0))),
    ("ER", (("tir", 1.0),)),
    ("ET", (("amh", 1.0),)),
    ("GH", (("eng", 1.0),)),
    ("GN", (("fra", 1.0),)),
    ("IN", (("hin", 50.0), ("pan", 50.0))),
    ("BD", (("ben", 1.0),)),
    ("NP", (("nep", 1.0),)),
    ("RU", (("rus", 1.0),)),
    ("TR", (("tur", 1.0),)),
    ("UZ", (("rus", 1.0),)),
)  # fmt: skip


@dataclass(frozen=True)
class SimulationConfig:
    """All parameters of one synthetic world. Defaults describe the turn-back case 2016–2019."""

    # --- size and reproducibility
    people: int = 5000  # true population: everyone who sought asylum at a port in the period
    sources: int = 4  # how many of ``source_specs`` (in order) to simulate
    seed: int = 0
    start: date = date(2016, 1, 1)
    end: date = date(2019, 12, 31)

    # --- people and family units (shares of units, not of people)
    unit_single_adult: float = 0.50
    unit_couple: float = 0.05
    unit_family: float = 0.40  # one or two parents travelling with 1-4 children
    unit_unaccompanied_minor: float = 0.05
    single_parent_share: float = 0.45  # of families; 75% of single parents are mothers
    transgender_woman_share: float = 0.015  # of adults assigned male at birth
    transgender_man_share: float = 0.003  # of adults assigned female at birth
    nonbinary_share: float = 0.003  # of adults
    pregnant_share: float = 0.05  # of adult women under 45
    medical_condition_share: float = 0.04
    disability_share: float = 0.02
    birth_date_known_year_only: float = 0.18  # the person knows only the year
    birth_date_unknown: float = 0.04  # the person does not know it (age only)
    nationality_weights: tuple[tuple[str, float], ...] = DEFAULT_NATIONALITY_WEIGHTS
    languages: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = DEFAULT_LANGUAGES

    # --- encounters at ports
    arrival_trend: float = 3.0  # arrivals per month at the end of the period / at the start
    mean_extra_attempts: float = 0.9  # Poisson mean of attempts after the first
    max_attempts: int = 6
    mean_days_between_attempts: float = 40.0
    same_port_again: float = 0.75  # a repeated attempt at the same port (else redrawn)
    port_weights: tuple[tuple[str, float], ...] = DEFAULT_PORT_WEIGHTS
    other_port_weight: float = 0.3
    metering_start: date = date(2018, 6, 1)  # border-wide metering (DHS authorized June 2018)
    early_metering: tuple[tuple[str, date], ...] = DEFAULT_EARLY_METERING
    turn_back_before_metering: float = 0.35  # per encounter
    turn_back_after_metering: float = 0.80
    fear_expressed: float = 0.75  # per encounter
    fear_in_own_language: float = 0.55  # when the primary language is not Spanish or English
    tactics: tuple[TacticRate, ...] = DEFAULT_TACTICS
    port_tactic_multipliers: tuple[tuple[str, str, float], ...] = DEFAULT_PORT_TACTIC_MULTIPLIERS
    waitlist_closed_after: date = date(2019, 5, 1)
    waitlist_closed_share: float = 0.15  # of metered encounters after that date
    mpp_start: date = date(2019, 1, 29)
    mpp_share: float = 0.35  # of processed encounters after ``mpp_start``

    # --- documentation sources and how they capture people
    source_specs: tuple[SourceSpec, ...] = DEFAULT_SOURCES
    list_dependence: tuple[ListDependence, ...] = DEFAULT_DEPENDENCE
    capture_heterogeneity: float = 0.8  # s.d. of the latent visibility of a family unit (logit)
    turn_back_log_odds: float = 0.3  # per turn-back beyond the first
    capture_only_turned_away: bool = True  # lists document people who were turned away
    tactic_recall: float = 0.8  # chance a source reports a true tactic (declarations: 0.95)
    max_declaration_documents: int = 300  # DOCX/PDF written; the exhibit index lists all
    declaration_docx_share: float = 0.5  # the rest are PDF
    declaration_spanish_share: float = 0.35  # the rest are in English
    kobo_hxl_tags: bool = False  # the Kobo CSV has a second row of HXL hashtags

    def __post_init__(self) -> None:
        check_config(self)

    @property
    def active_sources(self) -> tuple[SourceSpec, ...]:
        return self.source_specs[: self.sources]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy (dates as ISO strings), written to ``truth/summary.json``."""
        return _jsonable(dataclasses.asdict(self))


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def check_config(config: SimulationConfig) -> None:
    """Raise :class:`ConfigurationError` naming the parameter that makes no sense."""
    if config.people < 1:
        raise ConfigurationError("people must be at least 1")
    if not 1 <= config.sources <= len(config.source_specs):
        raise ConfigurationError(f"sources must be between 1 and {len(config.source_specs)}")
    if config.end <= config.start:
        raise ConfigurationError("end must be after start")
    units = (
        config.unit_single_adult,
        config.unit_couple,
        config.unit_family,
        config.unit_unaccompanied_minor,
    )
    if min(units) < 0 or abs(sum(units) - 1.0) > 1e-9:
        raise ConfigurationError("unit_* shares must be non-negative and sum to 1")
    _check_probabilities(config)
    _check_sources(config)


def _check_probabilities(config: SimulationConfig) -> None:
    for item in dataclasses.fields(config):
        value = getattr(config, item.name)
        is_probability = item.name.endswith(("_share", "_probability")) or item.name in {
            "fear_expressed",
            "fear_in_own_language",
            "tactic_recall",
            "same_port_again",
            "turn_back_before_metering",
            "turn_back_after_metering",
            "birth_date_known_year_only",
            "birth_date_unknown",
        }
        if is_probability and not 0.0 <= value <= 1.0:
            raise ConfigurationError(f"{item.name} must be a probability between 0 and 1")
    for rate in config.tactics:
        if not (0 <= rate.before_metering <= 1 and 0 <= rate.after_metering <= 1):
            raise ConfigurationError(f"tactic {rate.code}: rates must be between 0 and 1")
        if rate.applies_to not in {"all", "families", "fear_expressed", "language_barrier"}:
            raise ConfigurationError(f"tactic {rate.code}: unknown applies_to {rate.applies_to}")


def _check_sources(config: SimulationConfig) -> None:
    keys = [spec.key for spec in config.source_specs]
    if len(set(keys)) != len(keys):
        raise ConfigurationError("source keys must be unique")
    for spec in config.source_specs:
        if spec.kind not in SOURCE_KINDS:
            raise ConfigurationError(f"source {spec.key}: kind must be one of {SOURCE_KINDS}")
        if not 0.0 < spec.capture_probability < 1.0:
            raise ConfigurationError(f"source {spec.key}: capture_probability must be in (0, 1)")
    for link in config.list_dependence:
        if link.earlier not in keys or link.later not in keys:
            raise ConfigurationError(f"list_dependence names an unknown source: {link}")
        if keys.index(link.earlier) >= keys.index(link.later):
            raise ConfigurationError(f"list_dependence must point to a later source: {link}")


def default_config(**changes: Any) -> SimulationConfig:
    """The default world with some parameters changed (``default_config(people=100)``)."""
    return dataclasses.replace(SimulationConfig(), **changes)


__all__ = [
    "ListDependence",
    "NoiseRates",
    "SOURCE_KINDS",
    "SimulationConfig",
    "SourceSpec",
    "TacticRate",
    "default_config",
]
