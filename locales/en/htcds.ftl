## The k-anonymous HTCDS export (page and command line)

nav-htcds = Shareable export
htcds-title = Shareable record-level export (HTCDS)
htcds-intro = One row per person with a case, in the columns of CTDC's global dataset, for partners and researchers. Every row of the file occurs at least k times, and each group of rows shows at least two types of exploitation, so that nobody can be picked out of it.
htcds-what-is-left-out = No names, ids, case numbers, free text, exact dates or places below the country are ever included. To reach k, ages are widened into bands, countries into regions and years into periods; cells that would still single someone out are left blank, and a person is left out entirely only as a last resort. The export is recorded in the audit log.
htcds-k = Smallest group size (k)
htcds-k-hint = At least { $min }. CTDC publishes with 11; a larger k shares less detail.
htcds-preview = Show what would be shared
htcds-download = Download CSV
htcds-summary-heading = What the file would contain
htcds-summary-rows = { $rows } of { $persons } people with a case get a row (every row occurs at least { $k } times; at least { $l } types of exploitation in each group).
htcds-summary-records-suppressed = { $count ->
    [one] 1 person is left out entirely.
   *[other] { $count } people are left out entirely.
}
htcds-summary-cells-suppressed = { $count ->
    [one] 1 cell is left blank so that every row occurs at least { $k } times.
   *[other] { $count } cells are left blank so that every row occurs at least { $k } times.
}
htcds-summary-l-diversity = { $count ->
    [one] 1 exploitation cell is left blank so that each group shows at least two types.
   *[other] { $count } exploitation cells are left blank so that each group shows at least two types.
}
htcds-summary-level = { $attribute }: { $level }
htcds-cli-written = Written to { $file } (not encrypted: it holds no identifying data).
error-htcds_k_too_small = k must be a whole number of at least 5 (CTDC publishes with 11).
error-htcds_failed = The export could not be made.

htcds-attr-year = Year of registration
htcds-attr-gender = Gender
htcds-attr-age = Age
htcds-attr-citizenship = Citizenship
htcds-attr-country_of_exploitation = Country of exploitation
htcds-attr-means_of_control = Means of control
htcds-attr-exploitation = Type of exploitation

htcds-level-value = as recorded
htcds-level-blank = left out
htcds-level-year = the year
htcds-level-period = five-year period
htcds-level-band = CTDC age band
htcds-level-wide-band = wide age band (0–17, 18–29, 30–47, 48+)
htcds-level-majority = minor or adult only
htcds-level-country = the country
htcds-level-subregion = UN sub-region (e.g. Central America)
htcds-level-region = UN region (e.g. Americas)
htcds-level-type = each type
htcds-level-broad-type = labour, sexual or other
