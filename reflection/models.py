"""Journal, sign-off and supervision models arrive with their issues."""
