"""Pages of the mediation dossiers: `lists` (register and list), `detail` (the dossier, its
actions, reveal, the agreement document), `boards` (confirmations, committees, alerts)."""
