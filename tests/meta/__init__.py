"""Tests of the project itself: structure, quality-scale claims, the test command."""
