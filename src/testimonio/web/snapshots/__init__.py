"""Analysis snapshots of a project, and the analysis runs made from them (issue 14)."""
