"""The fuzz suite of issue 8: the parser, actions, manifests, templates and the CLI.

Brief in the normal suite (`python3 -m pytest tests/fuzz`); long with
`CLAUSEWISE_FUZZ=long python3 -m pytest tests/fuzz -q`, or a campaign that counts
inputs and crashes instead of stopping at the first: `python3 tests/fuzz/run.py`.
See tests/fuzz/README.md.
"""
