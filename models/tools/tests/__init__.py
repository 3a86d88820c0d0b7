"""Fast tests of the ttsvoice package: python3 -m unittest discover -s models/tools (from the repository root).
Tests that need numpy or torch skip where those are not installed."""
