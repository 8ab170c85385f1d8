"""The core layer: contracts, settings, errors, the model client, files, the browser and page assembly.

It imports no other package of webagent (the import contract in pyproject.toml holds it to that).
"""
