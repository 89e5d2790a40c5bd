"""Private-sector partnership registers: reading, validation, store and indicators."""
