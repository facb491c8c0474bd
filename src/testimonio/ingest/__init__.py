"""Reading what organisations hold: file checks now; readers, mapping and validation to come.

Plain Python (no Django): the web upload flow and the command line both call it.
"""
