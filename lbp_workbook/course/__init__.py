"""The course: example cases, quizzes, anatomy cards, citations and the class
practical's data and views.

Course content may use the engine and the views; nothing below imports it.
"""
