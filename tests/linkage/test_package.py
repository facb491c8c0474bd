"""The linkage package keeps a thin, sorted public surface.

That it stays free of Django is checked for every core module in tests/test_layers.py.
"""

import testimonio.linkage as linkage


def test_all_is_sorted_and_every_name_exists():
    assert linkage.__all__ == sorted(linkage.__all__)
    assert all(hasattr(linkage, name) for name in linkage.__all__)
