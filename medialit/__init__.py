"""medialit: read the news critically — corpus, codebook, widgets and grader for the course."""

__version__ = "0.1.0"
