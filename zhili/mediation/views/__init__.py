"""Pages of the mediation dossiers: `lists` (register and list), `detail` (the dossier, its
actions on the dossier kernel, reveal, the agreement document), `boards` (confirmations,
committees, alerts), `manage` (committee management) and `mediators` (a mediator's page and
trainings)."""
