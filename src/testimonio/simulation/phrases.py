"""How each organization words a tactic, an outcome or a fear: the text coders will code.

Each tactic code has: an English phrase (legal-aid intake notes), a Spanish phrase (partner
spreadsheet), a Kobo choice name (shelter survey select_multiple), and a declaration sentence in
English and Spanish (the officer's words as the declarant remembers them).
All strings are latin-1 (straight quotes) so the PDF core fonts render them. Spanish
declaration sentences carry their accents; the spreadsheet wording drops them, as volunteers
typing fast on any keyboard do.
"""

# ruff: noqa: E501 -- a sentence per line reads better than a sentence cut in two

from __future__ import annotations

from typing import NamedTuple


class TacticWords(NamedTuple):
    english: str
    spanish: str
    kobo_choice: str
    declaration_en: str
    declaration_es: str


TACTIC_WORDS: dict[str, TacticWords] = {
    "TAC.MISINFO.NO_ASYLUM": TacticWords(
        "told no more asylum",
        "le dijeron que ya no hay asilo",
        "no_hay_asilo",
        'The officer told me: "There is no more asylum. The president ended it."',
        'El oficial me dijo: "Ya no hay asilo. El presidente lo terminó."',
    ),
    "TAC.MISINFO.NATIONALITY": TacticWords(
        "told no asylum for people from their country",
        "le dijeron que no hay asilo para su pais",
        "no_asilo_nacionalidad",
        'The officer said: "There is no asylum for people like you."',
        'El oficial dijo: "No hay asilo para gente como ustedes."',
    ),
    "TAC.MISINFO.APPOINTMENT": TacticWords(
        "told needs appointment/papers",
        "le pidieron cita o papeles",
        "necesita_cita",
        "The officer said that I needed an appointment or papers before I could ask for asylum.",
        "El oficial dijo que necesitaba una cita o papeles antes de pedir asilo.",
    ),
    "TAC.DENY.CAPACITY": TacticWords(
        "told port is full",
        "le dijeron que no hay cupo",
        "no_hay_cupo",
        'The officer said: "We are full. There is no space today."',
        'El oficial dijo: "Estamos llenos. Hoy no hay espacio."',
    ),
    "TAC.DENY.LIMIT_LINE": TacticWords(
        "stopped at limit line on bridge",
        "lo pararon en la linea del puente",
        "parado_en_linea",
        "Officers stopped us in the middle of the bridge, before we reached the port building.",
        "Los oficiales nos detuvieron a mitad del puente, antes de llegar al edificio del puerto.",
    ),
    "TAC.DENY.WAITLIST": TacticWords(
        "told to get a number / join list",
        "le dijeron que se anotara en la lista",
        "anotarse_lista",
        "The officer told me to go back to Mexico and put my name on the list to get a number.",
        "El oficial me dijo que regresara a México y me anotara en la lista para recibir un número.",
    ),
    "TAC.DENY.REDIRECT": TacticWords(
        "sent to another port",
        "lo mandaron a otra garita",
        "otra_garita",
        "The officer told me to go to a different port of entry.",
        "El oficial me dijo que fuera a otra garita.",
    ),
    "TAC.FEAR_IGNORED": TacticWords(
        "said fear, officer ignored",
        "expreso miedo y lo ignoraron",
        "miedo_ignorado",
        "I said I was afraid to return, but the officer did not write anything down.",
        "Dije que tenía miedo de regresar, pero el oficial no anotó nada.",
    ),
    "TAC.THREAT.FAMILY_SEP": TacticWords(
        "threatened kids would be taken",
        "amenaza de quitarle a sus hijos",
        "amenaza_separacion",
        "The officer said that if we insisted on asking for asylum they would take my children away.",
        "El oficial dijo que si insistíamos en pedir asilo nos iban a quitar a los niños.",
    ),
    "TAC.THREAT.DETENTION": TacticWords(
        "threatened with jail",
        "amenaza de carcel",
        "amenaza_carcel",
        "The officer said I would be locked up for a very long time.",
        "El oficial dijo que me iban a encerrar por mucho tiempo.",
    ),
    "TAC.THREAT.DEPORTATION": TacticWords(
        "threatened w/ deportation",
        "amenaza de deportacion",
        "amenaza_deportacion",
        "The officer said they would deport me to my country that same day.",
        "El oficial dijo que me iban a deportar a mi país ese mismo día.",
    ),
    "TAC.INTIMIDATION": TacticWords(
        "yelled at / intimidated",
        "le gritaron / intimidaron",
        "intimidacion",
        "The officers yelled at us and laughed at us.",
        "Los oficiales nos gritaron y se burlaron de nosotros.",
    ),
    "TAC.VERBAL_ABUSE": TacticWords(
        "insulted",
        "insultos",
        "insultos",
        "The officer insulted me and called me names.",
        "El oficial me insultó y me dijo groserías.",
    ),
    "TAC.PHYS_ABUSE.PUSH": TacticWords(
        "pushed",
        "lo empujaron",
        "empujones",
        "An officer pushed me back toward Mexico.",
        "Un oficial me empujó hacia México.",
    ),
    "TAC.COERCION.SIGN": TacticWords(
        "made to sign papers",
        "lo obligaron a firmar",
        "obligado_firmar",
        "They made me sign papers in English that I did not understand.",
        "Me obligaron a firmar papeles en inglés que no entendía.",
    ),
    "TAC.COERCION.RECANT": TacticWords(
        "pressured to say no fear",
        "lo presionaron a decir que no tenia miedo",
        "presion_retractarse",
        "The officer kept asking until I said I was not afraid.",
        "El oficial insistió hasta que dije que no tenía miedo.",
    ),
    "TAC.LANGUAGE.NO_INTERPRETER": TacticWords(
        "no interpreter",
        "sin interprete",
        "sin_interprete",
        "Nobody interpreted for me in my language.",
        "Nadie me interpretó en mi idioma.",
    ),
    "TAC.HANDOVER.INM": TacticWords(
        "handed to Mexican immigration (INM)",
        "entregado al INM",
        "entregado_inm",
        "The officers handed me over to Mexican immigration agents.",
        "Los oficiales me entregaron a agentes de migración mexicana.",
    ),
}

#: (English, Spanish) outcome wording.
OUTCOME_WORDS: dict[str, tuple[str, str]] = {
    "OUT.TURNED_BACK": ("Turned back", "Regresado a Mexico"),
    "OUT.METERED.LISTED": ("Metered - on waitlist", "En lista de espera"),
    "OUT.METERED.LIST_CLOSED": ("Metered - list closed", "Lista cerrada"),
    "OUT.WITHDREW": ("Withdrew (signed form)", "Retiro su solicitud (firmo)"),
    "OUT.PROCESSED.CFI_REFERRAL": ("Processed - CFI", "Procesado - entrevista de miedo"),
    "OUT.PROCESSED.NTA": ("Processed - NTA", "Procesado - NTA"),
    "OUT.PROCESSED.PAROLE": ("Paroled", "Parole"),
    "OUT.PROCESSED.MPP": ("Returned under MPP", "Regresado bajo MPP"),
}


def kobo_choice(code: str) -> str:
    return (
        TACTIC_WORDS[code].kobo_choice if code in TACTIC_WORDS else code.lower().replace(".", "_")
    )


def english_phrase(code: str) -> str:
    return TACTIC_WORDS[code].english if code in TACTIC_WORDS else code


def spanish_phrase(code: str) -> str:
    return TACTIC_WORDS[code].spanish if code in TACTIC_WORDS else code
