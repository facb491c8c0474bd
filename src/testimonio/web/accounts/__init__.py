"""Accounts: who may do what in which project (memberships and roles)."""
