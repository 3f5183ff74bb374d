"""Class insights for instructors after grading: `medialit report GRADEBOOK` writes an HTML page."""

from medialit.report.load import ReportError, load_gradebook
from medialit.report.page import build_report, write_report

__all__ = ["ReportError", "build_report", "load_gradebook", "write_report"]
