"""Developers' tools, outside the runtime plugin: no build imports them.

- ``synthetic.py``: a generated project of N offers (``invoke generate-offers``);
- ``bench.py``: the benchmark against bare Pelican (``invoke bench``);
- ``compare_outputs.py``: two builds compared file by file (byte-identity of a refactoring).
"""
