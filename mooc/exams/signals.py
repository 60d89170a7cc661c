"""What the exams app announces to the apps above it (certificates, later reports).

Exams does not know who listens: a higher app connects its receivers in its
`AppConfig.ready`. Both signals are sent inside the transaction of the change they
announce, and a receiver's exception propagates (`send`, not `send_robust`), so
whatever a receiver writes lands with that change or neither does.
"""

from __future__ import annotations

from django.dispatch import Signal

# An enrolment first became "passed" through its course's final exam: by grading an
# attempt, or by recomputing the enrolment after a reset. Sent once, inside the
# grading transaction, with `enrollment` (sender: the Enrollment class).
final_exam_passed = Signal()

# Resetting an attempt is about to take an enrolment's pass away. Sent inside the
# reset transaction with `enrollment`; a receiver refuses by raising ServiceError,
# which rolls the reset back.
final_exam_pass_withdrawn = Signal()
