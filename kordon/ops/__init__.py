"""Running kordon: health endpoints, Prometheus metrics, request ids and structured logs."""
