"""Sharing a revalidation portfolio with an appraiser or confirmer who may have no account."""
