"""The moderated community of practice: spaces, threads, posts and moderation."""
