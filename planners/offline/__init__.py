"""The offline planner: a rule-based prompt compiler, the default when no LLM is configured.

- `compile_prompt(prompt)` → the global `PagePlan` (sections, copy, design tokens, media).
- `plan_section(section, assets, tokens)` → the local plan of one section and its elements.
- `parse_markdown_tables(text)` → the prompt's markdown tables as `Dataset`s.
"""

from webagent.planners.offline.compiler import compile_prompt
from webagent.planners.offline.slots import plan_section
from webagent.planners.offline.tables import parse_markdown_tables

__all__ = ["compile_prompt", "plan_section", "parse_markdown_tables"]
