"""Spaces, threads, posts and moderation models arrive with their issue."""
