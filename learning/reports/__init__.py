"""Organisation and national reports: aggregate figures only, never reflective content."""
