"""Spanish dates with the month named: 6 dic 2026, 22:36."""

DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
# "b": the month's abbreviation in lower case, as Spanish writes it ("M" would be "Dic").
SHORT_DATE_FORMAT = "j b Y"
SHORT_DATETIME_FORMAT = "j b Y, H:i"
