"""The parts of `kordon.documents.sanitize`, one per seam: outcome, sniffing, images, PDF checks
and objects, PDF preview."""
