"""Names that look like this population's, drawn with numpy so a million people take seconds.

Spanish-speaking people carry two surnames (paternal then maternal; Brazilians put the
mother's first), often compound given names (María José, José de Jesús) and surnames with
particles (de la Cruz, del Ángel). Haitians carry French or Creole spellings, Mayan-language
speakers from Guatemala and Chiapas often Mayan surnames. Tables are our own lists of common
names, extended with Faker's locale tables where those fit (es_MX, pt_BR, fr_FR). No name here
is taken from a real victim: these are ordinary first names and surnames, combined at random.

What must always hold: every name is latin-1 encodable (the PDF core fonts need it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from faker.providers.person import es_MX, fr_FR, pt_BR

# Person roles inside a family unit.
ROLE_ALONE, ROLE_HEAD, ROLE_PARTNER, ROLE_CHILD, ROLE_UNACCOMPANIED = 0, 1, 2, 3, 4
ROLE_NAMES = ("alone", "head", "partner", "child", "unaccompanied_minor")

HISPANIC_MALE = (
    "José", "Juan", "Luis", "Carlos", "Jesús", "Francisco", "Miguel", "Jorge", "Pedro", "Antonio",
    "Manuel", "Alejandro", "Eduardo", "Roberto", "Fernando", "Ricardo", "Daniel", "Javier",
    "Mario", "Óscar", "Salvador", "Rafael", "Ignacio", "Guillermo", "Enrique", "Alfonso",
    "Alberto", "Gregorio", "Wilmer", "Kevin", "Brayan", "Edwin", "Elmer", "Nelson", "Denis",
    "Santos", "Cristian", "Santiago", "Ángel", "Refugio", "Yeison", "Josué", "Héctor",
)  # fmt: skip
HISPANIC_FEMALE = (
    "María", "Ana", "Rosa", "Guadalupe", "Carmen", "Juana", "Francisca", "Patricia", "Leticia",
    "Gabriela", "Daniela", "Fernanda", "Mercedes", "Consuelo", "Concepción", "Sandra", "Karla",
    "Yesenia", "Wendy", "Dinora", "Glenda", "Marisol", "Ingrid", "Yolanda", "Elvia", "Reina",
    "Sonia", "Luisa", "Dolores", "Rosario", "Socorro", "Abigail", "Lourdes", "Maribel", "Xiomara",
)  # fmt: skip
HISPANIC_COMPOUND_MALE = (
    "José Luis", "Juan Carlos", "José Antonio", "Juan José", "Luis Fernando", "Jesús Alberto",
    "José Guadalupe", "José María", "Francisco Javier", "Miguel Ángel", "Juan de Dios",
    "José de Jesús", "Carlos Alberto", "Luis Enrique", "Marco Antonio", "Juan Pablo",
)  # fmt: skip
HISPANIC_COMPOUND_FEMALE = (
    "María José", "María Fernanda", "María Guadalupe", "María del Carmen", "María de los Ángeles",
    "Ana María", "Rosa María", "María de Jesús", "María Elena", "Ana Lucía", "María Eugenia",
    "María de la Luz", "María Isabel", "Rosa Elena", "María del Rosario", "Karla Patricia",
)  # fmt: skip
HISPANIC_SURNAMES = (
    "García", "Hernández", "López", "Martínez", "González", "Rodríguez", "Pérez", "Sánchez",
    "Ramírez", "Flores", "Cruz", "Gómez", "Morales", "Vásquez", "Reyes", "Jiménez", "Torres",
    "Díaz", "Gutiérrez", "Ruiz", "Mendoza", "Aguilar", "Ortiz", "Castillo", "Moreno", "Romero",
    "Álvarez", "Chávez", "Rivera", "Juárez", "Ramos", "Domínguez", "Herrera", "Medina", "Castro",
    "Vargas", "Guzmán", "Velásquez", "Rojas", "Contreras", "Salazar", "Luna", "Ortega",
    "Santiago", "Guerrero", "Estrada", "Bautista", "Cortés", "Soto", "Alvarado", "Mejía",
    "Orellana", "Zelaya", "Argueta", "Funes", "Peña", "Núñez", "Ibáñez", "Muñoz", "Quiñónez",
    "de la Cruz", "de León", "del Ángel", "de los Santos", "de Jesús", "del Río", "de la Rosa",
    "de la O", "Díaz de León", "de la Torre",
)  # fmt: skip
MAYAN_SURNAMES = (
    "Tzoc", "Xol", "Cux", "Ixcoy", "Tum", "Caal", "Choc", "Pop", "Tziquin", "Coc", "Ajanel",
    "Batz", "Sicán", "Xicará", "Chamalé", "Tzunún", "Tuyuc", "Quiej", "Coyoy", "Chiquín",
    "Tecún", "Ixcot", "Cotzojay", "Xiloj", "Yat", "Bol", "Cac", "Maquín", "Ical", "Tiul",
    "Chub", "Sacul", "Pacay", "Cuc", "Ajcot", "Yaxón", "Sapón", "Saquic", "Raxón", "Boj",
    "Tambriz", "Canil", "Puac", "Bámaca", "Ixmatá", "Gómez", "Pérez", "López", "Hernández",
)  # fmt: skip
MAYAN_GIVEN_EXTRA_FEMALE = ("Ixchel", "Nikté", "Itzel", "Sak Nikté")
MAYAN_GIVEN_EXTRA_MALE = ("Balam", "Tecún", "Kaan")
HAITIAN_MALE = (
    "Jean", "Pierre", "Joseph", "Wilner", "Dieunel", "Wisly", "Mackenson", "Jhonny", "Louis",
    "Jacques", "Frantz", "Ricardo", "Wilson", "Guerby", "Stanley", "Peterson", "Dieudonné",
    "Emmanuel", "Jean-Baptiste", "Jean-Robert", "Jean-Claude", "Lucner", "Fritznel", "Ti-Jean",
)  # fmt: skip
HAITIAN_FEMALE = (
    "Marie", "Roselène", "Nadège", "Guerline", "Fabiola", "Mirlande", "Wideline", "Dieumène",
    "Louicène", "Marie-Claude", "Marie-Ange", "Nathalie", "Esther", "Jocelyne", "Rose-Marie",
    "Fedeline", "Mislande", "Kettly", "Magalie", "Lovely", "Sherline", "Widline",
)  # fmt: skip
HAITIAN_SURNAMES = (
    "Pierre", "Joseph", "Jean", "Charles", "Louis", "Pierre-Louis", "Saint-Fort", "Jean-Baptiste",
    "Désir", "Exantus", "Dorméus", "Célestin", "Fils-Aimé", "Jeudy", "Lafontant", "Bien-Aimé",
    "Toussaint", "Noël", "Augustin", "Jolicoeur", "Mérisier", "Thélusma", "Étienne", "François",
    "Alexis", "Paul", "Michel", "Dorvil", "Cadet", "Prévilon", "Vilsaint", "Beauséjour", "Altidor",
)  # fmt: skip
AFRICAN_FRANCOPHONE_MALE = (
    "Jean-Claude", "Patrick", "Emmanuel", "Christian", "Mamadou", "Alpha", "Ibrahima", "Moussa",
    "Serge", "Blaise", "Hervé", "Junior", "Thierry", "Cédric",
)  # fmt: skip
AFRICAN_FRANCOPHONE_FEMALE = (
    "Aïssatou", "Mariama", "Fatoumata", "Grâce", "Chantal", "Béatrice", "Solange", "Clarisse",
    "Josiane", "Mireille", "Aminata",
)  # fmt: skip
AFRICAN_FRANCOPHONE_SURNAMES = (
    "Mbuyi", "Tshibanda", "Ilunga", "Kalonji", "Mukendi", "Diallo", "Barry", "Bah", "Sow",
    "Camara", "Condé", "Fotso", "Tchoumi", "Ngono", "Mbarga", "Nkou", "Ewane", "Kabongo",
)  # fmt: skip
AFRICAN_ANGLOPHONE_MALE = (
    "Kwame", "Kofi", "Kwabena", "Yaw", "Emmanuel", "Godwin", "Prince", "Ebenezer", "Samuel",
    "Divine", "Clinton", "Felix",
)  # fmt: skip
AFRICAN_ANGLOPHONE_FEMALE = (
    "Akosua",
    "Abena",
    "Ama",
    "Comfort",
    "Patience",
    "Blessing",
    "Gifty",
    "Precious",
    "Mercy",
)
AFRICAN_ANGLOPHONE_SURNAMES = (
    "Mensah", "Owusu", "Boateng", "Asante", "Agyeman", "Osei", "Appiah", "Fonkem", "Nji",
    "Achu", "Ngwa", "Tanyi", "Ayuk", "Eyong", "Tabe", "Tabi",
)  # fmt: skip
HORN_MALE = (
    "Tesfaye", "Yohannes", "Haile", "Abebe", "Mulugeta", "Dawit", "Berhane", "Kidane", "Tekle",
    "Mekonnen", "Girma", "Amanuel", "Samuel", "Tewelde",
)  # fmt: skip
HORN_FEMALE = ("Selam", "Hiwot", "Meron", "Senait", "Almaz", "Tsega", "Feven", "Helen", "Saba")
SOUTH_ASIAN_MALE = (
    "Gurpreet", "Harpreet", "Manpreet", "Jaspreet", "Sandeep", "Rajesh", "Amit", "Vikram",
    "Arjun", "Sukhdeep", "Mohammad", "Rahim", "Karim", "Anil", "Suresh", "Ramesh", "Bikash",
)  # fmt: skip
SOUTH_ASIAN_FEMALE = ("Simran", "Priya", "Anjali", "Sunita", "Kiran", "Fatima", "Nasrin", "Sita")
SOUTH_ASIAN_SURNAMES = (
    "Singh", "Kaur", "Kumar", "Sharma", "Patel", "Gill", "Sandhu", "Sidhu", "Dhillon", "Hossain",
    "Rahman", "Islam", "Ahmed", "Thapa", "Gurung", "Tamang", "Shrestha", "Rai",
)  # fmt: skip
RUSSIAN_MALE = (
    "Dmitri", "Alexei", "Sergei", "Ivan", "Nikolai", "Rustam", "Timur", "Bakhodir", "Andrei",
    "Oleg", "Farrukh", "Sardor",
)  # fmt: skip
RUSSIAN_FEMALE = ("Olga", "Svetlana", "Natalia", "Dilnoza", "Gulnara", "Irina", "Elena", "Madina")
RUSSIAN_SURNAMES = (
    "Ivanov", "Petrov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Karimov", "Rakhimov",
    "Yusupov", "Aliyev", "Nazarov", "Usmanov", "Volkov", "Morozov",
)  # fmt: skip
TURKISH_MALE = ("Mehmet", "Mustafa", "Ahmet", "Ali", "Huseyin", "Hasan", "Ibrahim", "Murat")
TURKISH_FEMALE = ("Fatma", "Ayse", "Emine", "Hatice", "Zeynep", "Elif", "Meryem")
TURKISH_SURNAMES = (
    "Yilmaz",
    "Kaya",
    "Demir",
    "Sahin",
    "Celik",
    "Yildiz",
    "Ozturk",
    "Aydin",
    "Arslan",
    "Dogan",
)

#: Nicknames and diminutives a volunteer may write instead of the given name.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Jesús": ("Chuy", "Chucho"),
    "Guadalupe": ("Lupe", "Lupita"),
    "Francisco": ("Pancho", "Paco", "Kiko"),
    "José": ("Pepe", "Chepe"),
    "José María": ("Chema",),
    "José Luis": ("Pepe",),
    "Ignacio": ("Nacho",),
    "Guillermo": ("Memo",),
    "Alberto": ("Beto",),
    "Roberto": ("Beto",),
    "Eduardo": ("Lalo",),
    "Antonio": ("Toño",),
    "Salvador": ("Chava",),
    "Enrique": ("Quique", "Kike"),
    "Alfonso": ("Poncho",),
    "Gregorio": ("Goyo",),
    "Manuel": ("Manolo",),
    "Fernando": ("Nando",),
    "Rosa": ("Rosy", "Rosita"),
    "Concepción": ("Conchita", "Concha"),
    "Consuelo": ("Chelo",),
    "Mercedes": ("Meche",),
    "Patricia": ("Paty",),
    "Leticia": ("Lety",),
    "Gabriela": ("Gaby",),
    "Daniela": ("Dani",),
    "María": ("Mari",),
    "María Eugenia": ("Maru",),
    "Luisa": ("Lulú",),
    "Juana": ("Juanita",),
    "Refugio": ("Cuco",),
    "Socorro": ("Coco",),
    "Dolores": ("Lola",),
    "Rosario": ("Chayo",),
    "Alejandro": ("Alex",),
    "Santiago": ("Chago",),
    "Jorge": ("Coque",),
    "Jean": ("Ti-Jean",),
    "Emmanuel": ("Manno",),
}

#: French spellings and their Haitian Creole (Kreyòl) equivalents.
CREOLE_SPELLINGS: dict[str, str] = {
    "Joseph": "Jozèf",
    "Pierre": "Pyè",
    "Jean": "Jan",
    "Marie": "Mari",
    "Louis": "Lwi",
    "François": "Franswa",
    "Michel": "Michèl",
    "Jacques": "Jak",
    "Paul": "Pòl",
    "Charles": "Chal",
    "Étienne": "Etyèn",
    "Emmanuel": "Emanyèl",
}


def _latin1(names: tuple[str, ...]) -> tuple[str, ...]:
    kept = []
    for name in names:
        try:
            name.encode("latin-1")
        except UnicodeEncodeError:
            continue
        kept.append(name)
    return tuple(kept)


def _extend(common: tuple[str, ...], extra: tuple[str, ...]) -> tuple[str, ...]:
    return common + tuple(name for name in _latin1(extra) if name not in common)


@dataclass(frozen=True)
class NameGroup:
    """How one naming tradition composes a person's name."""

    given_male: tuple[str, ...]
    given_female: tuple[str, ...]
    surnames: tuple[str, ...]
    compound_male: tuple[str, ...] = ()
    compound_female: tuple[str, ...] = ()
    compound_rate: float = 0.0
    double_surname: bool = False
    maternal_first: bool = False  # Brazil: mother's surname, then father's
    patronymic: bool = False  # Eritrea, Ethiopia: the "surname" is the father's given name
    feminine_surname_suffix: str = ""  # Russian: Ivanov -> Ivanova


def _build_groups() -> dict[str, NameGroup]:
    hispanic_male = _extend(HISPANIC_MALE, es_MX.Provider.first_names_male)
    hispanic_female = _extend(HISPANIC_FEMALE, es_MX.Provider.first_names_female)
    hispanic_surnames = _extend(HISPANIC_SURNAMES, es_MX.Provider.last_names)
    return {
        "hispanic": NameGroup(
            hispanic_male,
            hispanic_female,
            hispanic_surnames,
            HISPANIC_COMPOUND_MALE,
            HISPANIC_COMPOUND_FEMALE,
            compound_rate=0.35,
            double_surname=True,
        ),
        "mayan": NameGroup(
            HISPANIC_MALE + MAYAN_GIVEN_EXTRA_MALE,
            HISPANIC_FEMALE + MAYAN_GIVEN_EXTRA_FEMALE,
            MAYAN_SURNAMES,
            HISPANIC_COMPOUND_MALE,
            HISPANIC_COMPOUND_FEMALE,
            compound_rate=0.30,
            double_surname=True,
        ),
        "haitian": NameGroup(HAITIAN_MALE, HAITIAN_FEMALE, HAITIAN_SURNAMES, compound_rate=0.15),
        "brazilian": NameGroup(
            _latin1(pt_BR.Provider.first_names_male),
            _latin1(pt_BR.Provider.first_names_female),
            _latin1(pt_BR.Provider.last_names),
            double_surname=True,
            maternal_first=True,
        ),
        "francophone_african": NameGroup(
            _extend(AFRICAN_FRANCOPHONE_MALE, fr_FR.Provider.first_names_male[:20]),
            _extend(AFRICAN_FRANCOPHONE_FEMALE, fr_FR.Provider.first_names_female[:20]),
            AFRICAN_FRANCOPHONE_SURNAMES,
        ),
        "anglophone_african": NameGroup(
            AFRICAN_ANGLOPHONE_MALE, AFRICAN_ANGLOPHONE_FEMALE, AFRICAN_ANGLOPHONE_SURNAMES
        ),
        "horn_of_africa": NameGroup(HORN_MALE, HORN_FEMALE, HORN_MALE, patronymic=True),
        "south_asian": NameGroup(SOUTH_ASIAN_MALE, SOUTH_ASIAN_FEMALE, SOUTH_ASIAN_SURNAMES),
        "russian": NameGroup(
            RUSSIAN_MALE, RUSSIAN_FEMALE, RUSSIAN_SURNAMES, feminine_surname_suffix="a"
        ),
        "turkish": NameGroup(TURKISH_MALE, TURKISH_FEMALE, TURKISH_SURNAMES),
    }


NAME_GROUPS: dict[str, NameGroup] = _build_groups()

_GROUP_BY_NATIONALITY = {
    "HT": "haitian",
    "BR": "brazilian",
    "CD": "francophone_african",
    "GN": "francophone_african",
    "GH": "anglophone_african",
    "ER": "horn_of_africa",
    "ET": "horn_of_africa",
    "IN": "south_asian",
    "BD": "south_asian",
    "NP": "south_asian",
    "RU": "russian",
    "UZ": "russian",
    "TR": "turkish",
}
MAYAN_LANGUAGES = frozenset(
    {"quc", "mam", "kjb", "kek", "cak", "ixl", "knj", "jac", "cac", "acr", "tzo", "tzh"}
)


def name_group_for(nationality: str, language: str) -> str:
    """The naming tradition of a person of this nationality whose first language is this."""
    if language in MAYAN_LANGUAGES:
        return "mayan"
    if nationality == "CM":
        return "francophone_african" if language == "fra" else "anglophone_african"
    return _GROUP_BY_NATIONALITY.get(nationality, "hispanic")


def _zipf_choice(rng: np.random.Generator, table: tuple[str, ...], size: int) -> np.ndarray:
    """Draw names with a long-tailed frequency: the first names of a table are the common ones."""
    weights = 1.0 / np.arange(1, len(table) + 1) ** 0.9
    index = rng.choice(len(table), size=size, p=weights / weights.sum())
    return np.asarray(table, dtype=object)[index]


@dataclass
class UnitSurnames:
    """Four surnames per family unit: father's two and mother's two."""

    father_first: np.ndarray
    father_second: np.ndarray
    mother_first: np.ndarray
    mother_second: np.ndarray


def draw_unit_surnames(rng: np.random.Generator, unit_groups: np.ndarray) -> UnitSurnames:
    """Draw the surnames of every family unit from its naming tradition."""
    size = len(unit_groups)
    columns = [np.empty(size, dtype=object) for _ in range(4)]
    for name, group in NAME_GROUPS.items():
        members = np.flatnonzero(unit_groups == name)
        table = group.given_male if group.patronymic else group.surnames
        for column in columns:
            column[members] = _zipf_choice(rng, table, len(members))
    return UnitSurnames(*columns)


def draw_given_names(
    rng: np.random.Generator, groups: np.ndarray, female: np.ndarray
) -> np.ndarray:
    """Draw one (possibly compound) given name per person."""
    given = np.empty(len(groups), dtype=object)
    for name, group in NAME_GROUPS.items():
        for is_female, table, compounds in (
            (False, group.given_male, group.compound_male),
            (True, group.given_female, group.compound_female),
        ):
            members = np.flatnonzero((groups == name) & (female == is_female))
            given[members] = _zipf_choice(rng, table, len(members))
            compound = members[rng.random(len(members)) < group.compound_rate]
            if len(compound) == 0:
                continue
            if compounds:
                from_list = compound[rng.random(len(compound)) < 0.6]
                given[from_list] = _zipf_choice(rng, compounds, len(from_list))
                compound = np.setdiff1d(compound, from_list)
            second = _zipf_choice(rng, table, len(compound))
            joiner = "-" if name == "haitian" else " "
            given[compound] = [
                first if first == extra else f"{first}{joiner}{extra}"
                for first, extra in zip(given[compound], second, strict=True)
            ]
    return given


def compose_surnames(
    surnames: UnitSurnames, unit: np.ndarray, role: np.ndarray, single_parent: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Paternal and maternal surname of every person, from their unit's surnames and role.

    Fathers and lone adults carry the father's pair, mothers their own pair, children the first
    surname of each parent (an absent father's surname for children of a lone parent).
    """
    paternal = surnames.father_first[unit].copy()
    maternal = surnames.father_second[unit].copy()
    partner = role == ROLE_PARTNER
    paternal[partner] = surnames.mother_first[unit[partner]]
    maternal[partner] = surnames.mother_second[unit[partner]]
    child = role == ROLE_CHILD
    two_parent_child = child & ~single_parent[unit]
    maternal[two_parent_child] = surnames.mother_first[unit[two_parent_child]]
    lone_parent_child = child & single_parent[unit]
    paternal[lone_parent_child] = surnames.mother_first[unit[lone_parent_child]]
    maternal[lone_parent_child] = surnames.father_first[unit[lone_parent_child]]
    return paternal, maternal


def adapt_to_tradition(
    groups: np.ndarray, female: np.ndarray, paternal: np.ndarray, maternal: np.ndarray
) -> None:
    """Apply single-surname traditions and feminine forms in place."""
    for name, group in NAME_GROUPS.items():
        members = groups == name
        if not group.double_surname:
            maternal[members] = ""
        if group.feminine_surname_suffix:
            women = np.flatnonzero(members & female)
            paternal[women] = [
                surname + group.feminine_surname_suffix
                if surname.endswith(("ov", "ev"))
                else surname
                for surname in paternal[women]
            ]


def full_surnames(group: str, paternal: str, maternal: str) -> str:
    """The surnames as the person writes them."""
    if not maternal:
        return paternal
    if NAME_GROUPS[group].maternal_first:
        return f"{maternal} {paternal}"
    return f"{paternal} {maternal}"
