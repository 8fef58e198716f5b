"""Licences as policy: ODRL terms evaluated against a licensee's situation
(:mod:`kg.policy.licences`), the verdicts and their order (:mod:`kg.policy.verdicts`), and
what a restriction restricts (:mod:`kg.policy.restrictions`)."""
