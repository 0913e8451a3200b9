"""The catalog joined with the reading state: statuses, progress, marks, opening."""
