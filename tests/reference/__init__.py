"""Reference data the tests reproduce, copied into the repository so a fresh clone anywhere
runs every test (no test skips for want of it).

``mse/``: capture-history tables from the R packages Rcapture, SparseMSE, modslavmse, LCMCR and
dga with the published and reference figures (``mse/README.md``; ``mse/ALGORITHMS.md`` the
methods' exact steps). ``fixtures/``: small ODK exports and XLSForms from public repositories,
with their sources and licences in ``fixtures/README.md``. Both come from the team's shared
reference folder (``../shared/reference/``), unchanged: ``mse/SHA256SUMS`` checks the tables.
"""

from pathlib import Path

MSE = Path(__file__).parent / "mse"
FIXTURES = Path(__file__).parent / "fixtures"
