"""The views: plot style, charts, drawings, diagrams, tables, the client
summary and the widgets.

A view reads the engine's :class:`~lbp_workbook.engine.result.Result` and
draws or words it. Views import the engine, never the course layer.
"""
