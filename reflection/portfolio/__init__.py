"""The revalidation portfolio: CPD done away from the platform, alongside the platform's own
modules and the participatory learning it already records (reflective sessions attended, group
supervision), in the columns the NMC and Social Work England ask for."""
