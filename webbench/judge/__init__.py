"""The MM-WebGEN-Bench judges: a model judge over any OpenAI-compatible vision model, and a static one.

Both take the same inputs (the design prompt, the page's evidence, its deterministic metrics and
the prompt's required elements matched with the page's elements) and give the same critiques;
``webbench.evaluate`` turns them into the protocol's six numbers.
"""

from webbench.judge.critiques import Critiques, Judge
from webbench.judge.matching import Match, match_elements
from webbench.judge.model import ModelJudge
from webbench.judge.static import StaticJudge

__all__ = ["Critiques", "Judge", "Match", "match_elements", "ModelJudge", "StaticJudge"]
