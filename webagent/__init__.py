"""mm-webagent: a hierarchical multimodal webpage-generation agent.

``webagent.engine.build.build(prompt, out_dir)`` is the library entry point; the CLI is a thin layer over it.
"""

__version__ = "0.1.0"
