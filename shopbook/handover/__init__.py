"""快递交接 — the courier handover: 交接单 per courier and day, the 底单 to archive or set aside,
and the checks of the handover record against the shipping register (`shopbook handover`)."""
