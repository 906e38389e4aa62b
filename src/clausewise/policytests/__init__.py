"""Policy tests: decision cases kept beside the rules, run against the engine.

A test file `NAME.tests.yaml` sits beside `NAME.policy` (or names its policy with
`policy:`) and holds `cases:`, each an action and what the engine must answer:

    - id: partner-email-with-consent
      action: {action: share, data: [user.contact.email], recipient: partner, ...}
      decision: allow                 # allow or deny
      clause_ids: [partners]          # optional: Decision.clause_ids, in order
      obligations: [[industry-standards, duty]]   # optional: every duty of an allow
      unmet: [[partners, [consent]]]  # optional: Decision.unmet
      reasons: [{role: forbids, clause: no-phi}]  # optional: reasons that must be given

The file is read with the manifests' hardened YAML loader (plain values only, no
repeated keys, bounded in size, depth and aliases); a malformed case is an error of
that case and every other case still runs. Coverage (which clauses, and which
branch of each condition, no case exercised) is worked out from the same actions.
"""

from .coverage import Coverage, Part, coverage, parts_of
from .reading import SUFFIX, discover, read_suite, tests_beside
from .running import (Case, Outcome, Suite, differences, duties_of, duty_summary, run_case,
                      run_suite, supplied_facts)

__all__ = ["SUFFIX", "Case", "Coverage", "Outcome", "Part", "Suite", "coverage", "differences",
           "discover", "duties_of", "duty_summary", "parts_of", "read_suite", "run_case",
           "run_suite", "supplied_facts", "tests_beside"]
