"""Publishing: the evidence packet and the public report of a project, its approvals (issue 17)."""
