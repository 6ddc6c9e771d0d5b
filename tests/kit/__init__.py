"""The kit's tests (a package, so that its conftest.py is not mistaken for the sample's: the
sample's tests import theirs as « conftest »)."""
