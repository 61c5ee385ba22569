"""The web front end: the citizens' chat page (later also the staff API and the seat console)."""
