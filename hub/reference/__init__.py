"""Reference data: the parks of 京津冀, capacity units and the capability taxonomy."""
