"""The drafting assistant: a machine's first coding of an article, every row with its evidence,
for a person to review (`peacetrack draft`, `peacetrack review`)."""
