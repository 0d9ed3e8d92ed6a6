"""Collections and statistics of mediation: exemplary cases, full-text search of closed
disputes, the anthology, the monthly report and the rankings."""
