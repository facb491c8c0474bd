from testimonio import errors
from testimonio.errors import InputError


def test_all_is_sorted_and_complete() -> None:
    assert errors.__all__ == sorted(errors.__all__)
    defined = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, Exception)
    }
    assert set(errors.__all__) == defined


def test_an_input_error_names_file_row_and_column() -> None:
    error = InputError("expected a date", file="intake.xlsx", row=12, column="fecha")
    assert str(error) == "intake.xlsx, row 12, column 'fecha': expected a date"
    assert isinstance(error, errors.TestimonioError)
