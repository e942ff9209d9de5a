"""Pure functions of the Home Assistant-side modules: no Home Assistant instance runs."""
