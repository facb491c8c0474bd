"""The text of a class-member declaration, in English or Spanish, following its usual anatomy.

Caption and title; the oath; identity (nationality, age, languages, who travelled with them,
vulnerabilities); why they fled; one paragraph per attempt at a port (date, port, what they said
and in which language, what officers said and did, outcome); present situation and fear of
retaliation; closing under 28 U.S.C. 1746; translator's certificate. Each attempt paragraph tells
the encounter's *true* tactics (each with probability ``DECLARATION_RECALL``), and the truth of
which paragraph tells which encounter is kept for coding tests.
"""

# ruff: noqa: E501 -- prose templates: a sentence per line reads better than a sentence cut up

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from testimonio.simulation.draw import DrawnWorld
from testimonio.simulation.names import ROLE_CHILD
from testimonio.simulation.noise import RecordedName
from testimonio.simulation.phrases import TACTIC_WORDS
from testimonio.simulation.sources.common import (
    age_on,
    language_labels,
    nationality_labels,
    port_short_name,
    ports_by_code,
)

DECLARATION_RECALL = 0.95
MONTHS_ES = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
    "octubre", "noviembre", "diciembre",
)  # fmt: skip
PSEUDONYMS_F = ("Abigail", "Beatrice", "Carmen", "Dinora", "Ingrid", "Victoria", "Bianca", "Elena")
PSEUDONYMS_M = ("Roberto", "Jose", "Juan", "Esteban", "Cesar", "Ursula", "Pedro", "Tomas")
CAPTION = (
    "UNITED STATES DISTRICT COURT",
    "SOUTHERN DISTRICT OF CALIFORNIA",
    "FRONTERA LEGAL AID PROJECT, et al., Plaintiffs, v. SECRETARY OF HOMELAND SECURITY, et al., "
    "Defendants.",
    "Case No. 3:17-cv-00000 (synthetic test case; every person in this document is fictitious)",
)
FLIGHT_EN = (
    "a gang threatened to kill me after I refused to pay them extortion",
    "my former partner beat me for years and the police did nothing",
    "men attacked me because of who I am, and they said they would come back",
    "people who killed my brother told me I would be next",
    "I was persecuted for my political opinion",
)
FLIGHT_ES = (
    "una pandilla amenazó con matarme porque no pagué la extorsión",
    "mi expareja me golpeó durante años y la policía no hizo nada",
    "unos hombres me atacaron por ser quien soy y dijeron que volverían",
    "las personas que mataron a mi hermano me dijeron que yo seguía",
    "me persiguieron por mi opinión política",
)


@dataclass
class DeclarationText:
    language: str  # "en" or "es"
    title: str
    caption: tuple[str, ...]
    paragraphs: list[str] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    certificate: list[str] = field(default_factory=list)
    #: (paragraph number, encounter index, tactic codes told in it)
    encounter_paragraphs: list[tuple[int, int, list[str]]] = field(default_factory=list)


def long_date(value: date, language: str) -> str:
    if language == "es":
        return f"{value.day} de {MONTHS_ES[value.month - 1]} de {value.year}"
    return f"{value.strftime('%B')} {value.day}, {value.year}"


def pseudonym(world: DrawnWorld, person: int, rnd: random.Random) -> str:
    pool = PSEUDONYMS_F if world.population.presents_female[person] else PSEUDONYMS_M
    return f"{rnd.choice(pool)} Doe"


def _unit_members(world: DrawnWorld, unit: int) -> range:
    start = int(np.searchsorted(world.population.unit, unit, side="left"))
    return range(start, start + int(world.population.units.size[unit]))


def _initials(world: DrawnWorld, member: int) -> str:
    population = world.population
    parts = (
        str(population.given_names[member]),
        str(population.paternal_surname[member]),
        str(population.maternal_surname[member]),
    )
    return ".".join(part[0] for part in parts if part) + "."


def _companions(world: DrawnWorld, person: int, spanish: bool) -> str:
    population = world.population
    declarant_is_child = population.role[person] == ROLE_CHILD
    words: list[str] = []
    for member in _unit_members(world, int(population.unit[person])):
        if member == person:
            continue
        female = bool(population.presents_female[member])
        if population.role[member] == ROLE_CHILD:
            if declarant_is_child:
                noun = (
                    ("mi hermana" if female else "mi hermano")
                    if spanish
                    else ("my sister" if female else "my brother")
                )
            else:
                noun = (
                    ("mi hija" if female else "mi hijo")
                    if spanish
                    else ("my daughter" if female else "my son")
                )
            age = int(population.age[member])
            words.append(
                f"{noun} {_initials(world, member)}, {age} {'años' if spanish else 'years old'}"
            )
        elif declarant_is_child:
            words.append(
                ("mi madre" if female else "mi padre")
                if spanish
                else ("my mother" if female else "my father")
            )
        else:
            words.append("mi pareja" if spanish else "my partner")
    return ", ".join(words)  # fmt: skip


def _identity(
    world: DrawnWorld, person: int, name: RecordedName, nick: str, spanish: bool
) -> list[str]:
    population, units = world.population, world.population.units
    unit = int(population.unit[person])
    nationality = str(units.nationality[unit])
    language = str(units.language[unit])
    country = nationality_labels().get(nationality, (nationality, nationality))[1 if spanish else 0]
    tongue = language_labels().get(language, (language, language))[1 if spanish else 0]
    first_day = world.day(int(world.encounter_starts[unit]))
    age = age_on(world, person, first_day)
    born = population.birth_date[person].astype(object)
    known = int(population.birth_precision[person])
    identity = int(population.gender_identity[person])
    if spanish:
        birth = [
            f"Nací el {long_date(born, 'es')}.",
            f"Nací en {born.year}.",
            "No sé mi fecha exacta de nacimiento.",
        ][known]
        paragraphs = [
            f"Mi nombre completo es {name.full}. Pido a la Corte que me permita usar el seudónimo {nick} porque temo represalias contra mí y mi familia.",
            f"Soy de {country}. Cuando llegué a la frontera tenía {age} años. {birth} Mi primer idioma es el {tongue}.",
        ]  # fmt: skip
    else:
        birth = [
            f"I was born on {long_date(born, 'en')}.",
            f"I was born in {born.year}.",
            "I do not know my exact date of birth.",
        ][known]
        paragraphs = [
            f"My full name is {name.full}. I ask the Court to allow me to proceed under the pseudonym {nick} because I fear retaliation against me and my family.",
            f"I am from {country}. I was {age} years old when I arrived at the border. {birth} My first language is {tongue}.",
        ]  # fmt: skip
    companions = _companions(world, person, spanish)
    if companions:
        paragraphs.append(("Viajé con " if spanish else "I travelled with ") + companions + ".")
    elif population.age[person] < 18:
        paragraphs.append("Viajé sin mis padres." if spanish else "I travelled without my parents.")
    else:
        paragraphs.append("Viajé sola/o." if spanish else "I travelled alone.")
    if identity == 2:
        paragraphs.append("Soy una mujer transgénero." if spanish else "I am a transgender woman.")
    if population.pregnant[person]:
        paragraphs.append(
            "Estaba embarazada cuando llegué." if spanish else "I was pregnant when I arrived."
        )
    return paragraphs


OUTCOME_SENTENCES = {
    "OUT.TURNED_BACK": (
        "The officers sent me back to Mexico.",
        "Los oficiales me regresaron a México.",
    ),
    "OUT.METERED.LISTED": (
        "I went back to {city} and put my name on the waitlist. I was given number {number}.",
        "Regresé a {city} y me anoté en la lista de espera. Me dieron el número {number}.",
    ),
    "OUT.METERED.LIST_CLOSED": (
        "I was told to get a number, but the list in {city} was closed.",
        "Me dijeron que consiguiera un número, pero la lista en {city} estaba cerrada.",
    ),
    "OUT.WITHDREW": (
        "After I signed, they sent me back to Mexico.",
        "Después de firmar, me regresaron a México.",
    ),
    "OUT.PROCESSED.CFI_REFERRAL": (
        "This time the officers let me in and I was referred for a credible-fear interview.",
        "Esta vez los oficiales me dejaron pasar y me mandaron a una entrevista de miedo creíble.",
    ),
    "OUT.PROCESSED.NTA": (
        "This time I was processed and given a Notice to Appear.",
        "Esta vez me procesaron y me dieron una Notificación de Comparecencia.",
    ),
    "OUT.PROCESSED.PAROLE": (
        "This time I was processed and paroled into the United States.",
        "Esta vez me procesaron y me dieron parole.",
    ),
    "OUT.PROCESSED.MPP": (
        "This time I was processed, but they returned me to Mexico to wait for my hearing.",
        "Esta vez me procesaron, pero me regresaron a México a esperar mi audiencia.",
    ),
}
ORDINALS_EN = ("first", "second", "third", "fourth", "fifth", "sixth")
ORDINALS_ES = ("primer", "segundo", "tercer", "cuarto", "quinto", "sexto")


def _encounter_paragraph(
    world: DrawnWorld, person: int, encounter: int, spanish: bool, rnd: random.Random
) -> tuple[str, list[str]]:
    encounters = world.encounters
    port = str(encounters.port[encounter])
    city = ports_by_code()[port]["mexican_city"].split(" (")[0]
    day = long_date(world.day(encounter), "es" if spanish else "en")
    attempt = min(int(encounters.attempt[encounter]), 6) - 1
    fear_language = str(encounters.fear_language[encounter])
    said_in = language_labels().get(fear_language, (fear_language, fear_language))[
        1 if spanish else 0
    ]
    told = [code for code in encounters.tactics_of(encounter) if rnd.random() < DECLARATION_RECALL]
    variant = 4 if spanish else 3
    if spanish:
        sentences = [
            f"El {day} fui a la garita de {port_short_name(port)}. Era mi {ORDINALS_ES[attempt]} intento."
        ]
        fear = (
            f"Le dije al oficial en {said_in} que tenía miedo de regresar y que quería pedir asilo."
        )
        no_fear = "No pude decir que tenía miedo."
    else:
        sentences = [
            f"On {day}, I went to the {port_short_name(port)} port of entry. It was my {ORDINALS_EN[attempt]} attempt."
        ]
        fear = f"I told the officer in {said_in} that I was afraid to return and that I wanted to ask for asylum."
        no_fear = "I was not able to say that I was afraid."
    sentences.append(fear if encounters.fear_expressed[encounter] else no_fear)
    sentences += [TACTIC_WORDS[code][variant] for code in told if code in TACTIC_WORDS]
    outcome = OUTCOME_SENTENCES.get(str(encounters.outcome[encounter]))
    if outcome:
        sentences.append(
            outcome[1 if spanish else 0].format(city=city, number=rnd.randint(100, 9999))
        )
    return " ".join(sentences), told


def build_declaration(
    world: DrawnWorld,
    person: int,
    name: RecordedName,
    language: str,
    rnd: random.Random,
    signed: date,
) -> DeclarationText:
    """The whole declaration of one person, with the truth of its encounter paragraphs."""
    spanish = language == "es"
    nick = pseudonym(world, person, rnd)
    title = (
        f"DECLARACIÓN DE {nick.upper()} EN APOYO DE LA MOCIÓN DE LOS DEMANDANTES PARA LA CERTIFICACIÓN DE LA CLASE"
        if spanish
        else f"DECLARATION OF {nick.upper()} IN SUPPORT OF PLAINTIFFS' MOTION FOR CLASS CERTIFICATION"
    )
    text = DeclarationText(language, title, CAPTION)
    oath = (
        f"Yo, {nick}, declaro lo siguiente. Tengo conocimiento personal de los hechos de esta declaración y, si fuera llamada/o como testigo, podría declarar sobre ellos."
        if spanish
        else f"I, {nick}, declare as follows. I have personal knowledge of the facts stated in this declaration and, if called as a witness, could and would testify competently to them."
    )  # fmt: skip
    text.paragraphs = [oath, *_identity(world, person, name, nick, spanish)]
    reason = rnd.randrange(len(FLIGHT_EN))
    text.paragraphs.append(
        f"Huí de mi país porque {FLIGHT_ES[reason]}. Tengo miedo de que me maten si regreso."
        if spanish
        else f"I fled my country because {FLIGHT_EN[reason]}. I am afraid I will be killed if I return."
    )
    for encounter in world.encounters_of(person):
        paragraph, told = _encounter_paragraph(world, person, encounter, spanish, rnd)
        text.paragraphs.append(paragraph)
        text.encounter_paragraphs.append((len(text.paragraphs), encounter, told))
    processed = not world.encounters.turned_back[world.encounters_of(person)[-1]]
    if spanish:
        now = (
            "Ahora estoy en los Estados Unidos esperando mi caso de asilo."
            if processed
            else "Sigo en México esperando. Tengo miedo de quedarme aquí."
        )
        text.paragraphs.append(now + " Temo represalias si se conoce mi nombre.")
        text.closing = [
            f"Declaro bajo pena de perjurio conforme a las leyes de los Estados Unidos de América que lo anterior es verdadero y correcto. Firmado el {long_date(signed, 'es')}.",
            f"/f/ {nick}",
        ]
    else:
        now = (
            "I am now in the United States waiting for my asylum case."
            if processed
            else "I am still in Mexico, waiting. I am afraid to stay here."
        )
        text.paragraphs.append(now + " I fear retaliation if my name becomes known.")
        text.closing = [
            f"I declare under penalty of perjury under the laws of the United States of America that the foregoing is true and correct. Executed on {long_date(signed, 'en')}.",
            f"/s/ {nick}",
        ]  # fmt: skip
    return text
