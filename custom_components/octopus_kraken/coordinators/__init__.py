"""Data update coordinators, one per kind of data and cadence."""
