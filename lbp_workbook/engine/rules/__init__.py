"""The assessment rules, one module per rule family.

- :mod:`~lbp_workbook.engine.rules.referral`: red flags and guideline triggers.
- :mod:`~lbp_workbook.engine.rules.flexibility`: deficits, focus areas, asymmetries.
- :mod:`~lbp_workbook.engine.rules.endurance`: McGill's endurance ratios.
- :mod:`~lbp_workbook.engine.rules.phase`: the phase gates (a teaching synthesis).
- :mod:`~lbp_workbook.engine.rules.plan`: the exercise plan.

Each rule is a pure function of a validated :class:`~lbp_workbook.engine.record.Record`
(or of other rules' results) and the package's reference data; each returns
the :mod:`lbp_workbook.engine.result` dataclasses with the rule, inputs and source
that made every finding. :func:`lbp_workbook.assess` runs them in order.
"""
