"""Pages of the one queue: intake, the dispatcher's workbench, a unit's inbox, case detail,
follow-up, the case map and the case list.

Every read goes through `zhili.cases.selectors` (which apply the user's scope); every write
through `zhili.cases.services`. An action is an HTMX request answered with the fragment it
changed (a row, or the detail's body); a DomainError comes back beside its field as a 4xx.

The parts: `intake` (受理登记 and its previews), `queues` (workbench, inbox, follow-up, bulk
dispatch), `lists` (the case list), `detail` (detail, actions, phone reveal, attachments),
`map` (the case map and its points), `figures` (办理质效 and its export) and `common` (what
they share). `zhili.cases.urls` maps the addresses to them. The home page's counts of a
user's queues are in `zhili.cases.workcards`, from `zhili.cases.selectors`.
"""
