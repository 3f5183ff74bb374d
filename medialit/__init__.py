"""Reading the news critically: corpus, annotations, widgets, exercises and a grader."""
