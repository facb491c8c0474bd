"""Cases: projects, sources, records, persons, encounters, vocabulary and codings."""
