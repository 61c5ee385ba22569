"""Screening that comes before anything else: emergencies first, then matters not accepted."""
