"""Database plumbing shared by the apps: many rows in one prepared statement, and staging
tables that worker processes fill and the importing process copies in."""
