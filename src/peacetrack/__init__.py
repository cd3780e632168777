"""peacetrack: a versioned, validated dataset of the Armenia–Azerbaijan peace process."""
