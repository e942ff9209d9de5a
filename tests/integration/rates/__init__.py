"""Tests of the rate sensors, their fetch schedule and the get_rates action."""
