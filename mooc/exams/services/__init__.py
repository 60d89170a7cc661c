"""The exams app's writes, one module per concern.

Rules the rest of the product relies on
---------------------------------------
- The server owns the clock. `Attempt.deadline` is set when the attempt starts and is
  only moved by an audited extension; the remaining time is always computed from it.
  Saves are accepted until `deadline + SAVE_GRACE` (a request sent in the last second
  on a slow link still counts), and an attempt is graded automatically only after that
  same moment, so every acknowledged save is in the grade.
- Every save and the grading lock the attempt row: a save shares it (FOR SHARE, in
  the same statement that checks the state and the deadline and writes the answer),
  grading holds it exclusively while it reads the answers and moves the attempt to
  "graded". So a save either lands before the grade (and counts) or is refused; none
  is acknowledged and then lost (see `answers._SAVE_SQL`).
- An attempt is graded exactly once: the transition in_progress → graded happens under
  the row lock, and whoever comes second (a double submit, the periodic job) finds it
  graded and returns it as it is.
- The questions, their order, the options' order, texts and weights are copied into the
  attempt when it starts; grading reads only the copies.

Modules
-------
- `banks`: question banks (the rules of a question, GIFT/Aiken import and export).
- `clock`: how long an attempt has left (`SAVE_GRACE`).
- `attempts`: the rules for starting, the draw and the copy.
- `answers`: saving an answer (the exam day's hot path).
- `save_tokens`: the save tokens that let a save skip the session.
- `submission`: submitting and grading, and the enrolment's result.
- `staff`: audited staff actions on attempts (extra time, reset).
"""
