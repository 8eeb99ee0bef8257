"""The engine: the record, the reference data, the rules, the result, progress,
what-if, the forward-bend model, storage and the person module.

Pure Python (pydantic for the record). It imports nothing from the views or
the course layer (``tests/test_architecture.py``).
"""
