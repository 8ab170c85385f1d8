"""The LLM planner: the planner model plans the page globally, then each section with media locally.

- `plan_page(prompt, client)` → the global `PagePlan`: sections, order, layout, design tokens and
  every element with its slot, context and attributes.
- `plan_section(section, assets, tokens, prompt, client)` → the section's local plan: its layout
  refined and each element's slot size, context and attributes fitted to where it sits.

Answers are checked beyond their schema (ids, references, chart data); what the checks cannot
fix the model is asked to repair once. Asset paths are always ours, never the model's.
"""

from webagent.planners.llm.page import plan_page
from webagent.planners.llm.section import plan_section

__all__ = ["plan_page", "plan_section"]
