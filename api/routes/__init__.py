"""One module per bounded context; each exports ROUTES."""
