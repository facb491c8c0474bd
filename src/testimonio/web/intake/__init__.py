"""Intake: one testimony entered by hand (person, family, encounters), and the case list."""
