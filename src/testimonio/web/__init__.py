"""The Django adapter: storage, permissions, forms, pages. Calls the core; the core never calls it.

Apps by feature (accounts, cases, evidence, audit, analyses); each changes data only through its
``actions`` module, which runs in one transaction and records an audit event.
"""
