"""clausewise: privacy policies as code.

    >>> import clausewise
    >>> policy = clausewise.load("rules/kareo.policy")
    >>> policy.check({"action": "use", "data": ["user.contact.email"],
    ...               "purpose": "essential.service.authentication"}).effect
    'allow'
"""

from .api import Engine, load
from .engine import Action, Decision
from .errors import ActionError, ClausewiseError, PolicyError

__all__ = ["Action", "ActionError", "ClausewiseError", "Decision", "Engine", "PolicyError",
           "load"]
