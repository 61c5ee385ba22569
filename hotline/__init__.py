"""The `hotline` operator command and the process supervisor behind `make run`."""
