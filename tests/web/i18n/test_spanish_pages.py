"""Pages answer in Spanish to a Spanish browser and after the language switch, with Spanish
vocabulary labels, and dates and numbers written the Spanish way."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.contrib.humanize.templatetags.humanize import intcomma
from django.test import Client
from django.utils import formats, translation

from testimonio.web.cases.actions import do_code_encounter, do_create_record, do_record_encounter
from testimonio.web.cases.models import Person, Project, Source, Term
from tests.web.clients import signed_in
from tests.web.conftest import member

pytestmark = pytest.mark.django_db
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}


@pytest.fixture
def attorney(project: Project) -> User:
    return member(project, "attorney", "attorney")


@pytest.fixture
def coded_person(project: Project, source: Source, person: Person) -> Person:
    """A person with one record and one encounter coded 'port is full'."""
    do_create_record(source, None, person=person)
    encounter = do_record_encounter(person, None, date="2018-06", port="2504-SYS")
    do_code_encounter(encounter, "TAC.DENY.CAPACITY", None)
    return person


def test_the_login_page_answers_in_spanish_to_a_spanish_browser() -> None:
    page = Client().get("/login/", **SPANISH).content.decode()
    assert '<html lang="es">' in page
    assert "<h1>Iniciar sesión</h1>" in page and "Log in" not in page
    english = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Log in</h1>" in english and '<html lang="en">' in english


def test_a_failed_login_is_told_in_spanish() -> None:
    page = Client().post("/login/", {"username": "nadie", "password": "x"}, **SPANISH)
    assert "Su nombre de usuario y su contraseña no coinciden" in page.content.decode()


def test_the_switch_remembers_spanish_in_a_cookie_for_an_english_browser() -> None:
    client = Client()
    switched = client.post("/i18n/setlang/", {"language": "es", "next": "/login/"})
    assert switched.status_code == 302 and switched.headers["Location"] == "/login/"
    assert client.cookies["django_language"].value == "es"
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Iniciar sesión</h1>" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "<h1>Log in</h1>" in client.get("/login/", **SPANISH).content.decode()


def test_a_language_we_do_not_offer_leaves_the_page_in_the_browsers_language() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "fr", "next": "/login/"})
    assert "<h1>Log in</h1>" in client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Iniciar sesión</h1>" in client.get("/login/", **SPANISH).content.decode()


def test_the_switch_stays_on_this_site() -> None:
    answer = Client().post("/i18n/setlang/", {"language": "es", "next": "https://evil.example/"})
    assert answer.headers["Location"] == "/"


def test_the_switch_works_before_the_second_factor(project: Project, attorney: User) -> None:
    """An attorney at the two-factor step may need Spanish to read that very page."""
    client = signed_in(attorney, second_factor=False)
    answer = client.post("/i18n/setlang/", {"language": "es", "next": "/two-factor/"})
    assert answer.headers["Location"] == "/two-factor/"
    assert "Verificación en dos pasos" in client.get("/two-factor/").content.decode()


def test_the_project_page_is_in_spanish(
    project: Project, attorney: User, coded_person: Person
) -> None:
    page = signed_in(attorney).get(f"/p/{project.slug}/", **SPANISH).content.decode()
    assert "Su función:" in page and "Abogado/a" in page
    assert "Encuentros por puerto de entrada" in page and "Códigos más frecuentes" in page
    assert "1</div>persona</div>" in page.replace("\n", "").replace(" ", "")
    capacity = Term.objects.get(version=project.vocabulary, code="TAC.DENY.CAPACITY")
    assert f'title="{capacity.label_es}"'.replace("'", "&#x27;") in page


def test_the_person_page_is_in_spanish_with_spanish_labels(
    project: Project, attorney: User, coded_person: Person
) -> None:
    url = f"/p/{project.slug}/people/{coded_person.pseudonym}/"
    page = signed_in(attorney).get(url, **SPANISH).content.decode()
    assert "<h2>Registros</h2>" in page and "<h2>Encuentros</h2>" in page
    assert "Mostrar la identidad" in page and "Miedo expresado" in page
    capacity = Term.objects.get(version=project.vocabulary, code="TAC.DENY.CAPACITY")
    assert capacity.label_es != capacity.label_en
    assert f'title="{capacity.label_es}"'.replace("'", "&#x27;") in page
    english = signed_in(attorney).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'title="{capacity.label_en}"'.replace("'", "&#x27;") in english


def test_the_vocabulary_page_shows_the_spanish_label_first(
    project: Project, attorney: User
) -> None:
    page = signed_in(attorney).get(f"/p/{project.slug}/vocabulary/", **SPANISH).content.decode()
    term = Term.objects.get(version=project.vocabulary, code="TAC.DENY")
    row = f'<td>{term.code}</td><td>{term.label_es}</td><td lang="en">{term.label_en}</td>'
    assert row in page and "Definición" in page


def test_a_form_label_and_its_validation_error_are_in_spanish(
    project: Project, attorney: User
) -> None:
    answer = signed_in(attorney).post(
        f"/p/{project.slug}/export/", {"identities": "on", "reason": " "}, **SPANISH
    )
    page = answer.content.decode()
    assert "Incluir nombres, fechas de nacimiento y teléfonos" in page
    assert "Indique para qué se necesitan las identidades." in page


def test_a_choice_label_is_in_spanish(project: Project, attorney: User) -> None:
    page = signed_in(attorney).get("/", **SPANISH).content.decode()
    assert "Sus proyectos" in page and "<td>Abogado/a</td>" in page


def test_dates_name_the_month_in_the_language_of_the_page() -> None:
    moment = datetime.datetime(2026, 12, 6, 22, 36, tzinfo=datetime.UTC)
    with translation.override("es"):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "6 dic 2026, 22:36"
        assert formats.date_format(moment.date(), "DATE_FORMAT") == "6 de diciembre de 2026"
    with translation.override("en"):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "6 Dec 2026, 22:36"


def test_numbers_are_grouped_the_way_of_the_language() -> None:
    with translation.override("es"):
        assert intcomma(1234567) == "1\xa0234\xa0567"  # a non-breaking space, as the RAE has it
        assert formats.number_format(0.95, 2) == "0,95"
    with translation.override("en"):
        assert intcomma(1234567) == "1,234,567"
