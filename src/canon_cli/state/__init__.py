"""The personal reading state: what the user has read; never imports the catalog."""
