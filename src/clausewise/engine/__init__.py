"""The decision engine: compile a policy, decide actions, explain decisions."""

from .action import Action, parse_action
from .compile import CompiledPolicy
from .decision import Decision, Duty, Reason
from .evaluate import decide

__all__ = ["Action", "CompiledPolicy", "Decision", "Duty", "Reason", "decide", "parse_action"]
