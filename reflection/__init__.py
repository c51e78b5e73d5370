"""The private reflective journal, supervisor sign-off and supervision records."""
