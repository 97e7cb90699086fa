"""The capability registry: organizations, sites, offerings, equipment, certificates, capacity."""
