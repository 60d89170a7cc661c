"""The exams app's non-trivial reads: question banks (`banks`) and the learner's
attempts and exam pages (`attempts`)."""
