"""What users take away: the borough briefing (PDF), the launch-event story, files of the view on screen, and spreadsheet-safe CSV."""
