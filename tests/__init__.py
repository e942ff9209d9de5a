"""Tests of the Octopus Kraken integration and its simulator."""
