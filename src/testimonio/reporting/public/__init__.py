"""The public report: suppressed tables as HTML (English and Spanish), PDF, tidy CSV, Atom.

``build_public_report(snapshot, out_dir, threshold, approval=None, history=None)`` is the
entry point; :mod:`.tables` says what is counted, :mod:`.history` what earlier releases fix.
"""

from testimonio.reporting.public.build import Approval, PublicResult, build_public_report

__all__ = ["Approval", "PublicResult", "build_public_report"]
