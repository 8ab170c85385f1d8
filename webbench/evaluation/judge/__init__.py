"""The MM-WebGEN-Bench judges: a model judge over any OpenAI-compatible vision model, and a static one.

Both take the same inputs (the design prompt, the page's evidence, its deterministic metrics and
the prompt's required elements matched with the page's elements) and give the same critiques;
``webagent.webbench.evaluation.evaluate`` turns them into the protocol's six numbers.
"""

from webagent.webbench.evaluation.judge.critiques import Critiques, Judge
from webagent.webbench.evaluation.judge.matching import Match, match_elements
from webagent.webbench.evaluation.judge.model import ModelJudge
from webagent.webbench.evaluation.judge.static import StaticJudge

__all__ = ["Critiques", "Judge", "Match", "match_elements", "ModelJudge", "StaticJudge"]
