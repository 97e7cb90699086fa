"""Generated networks of fictional firms on the real parks of 京津冀: the demo (`hub seed
demo`) and synthetic networks of any size (`hub seed synthetic`, tests, benchmarks)."""
