"""Learning: courses, modules, quizzes and each trainee's progress."""
