"""Voice gateway tests: units, engines, synthesis, and calls over both transports."""
