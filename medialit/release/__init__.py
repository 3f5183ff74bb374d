"""The student release: the students' repository (.ipynb notebooks) and the wheel, no keys."""
