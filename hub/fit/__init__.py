"""Fit: whether an offering can take a piece of work, defined once.

`rules` holds each rule as one Cypher expression over an offering's summary, used by
offering search, by matching (candidates and near-misses) and by the award check;
`terms` turns what is asked into their parameters; `summary` keeps, per offering, what
the rules read (its buckets and the certificates that cover it), refreshed in the same
transaction as every write that changes them.
"""
