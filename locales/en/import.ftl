## Import from a spreadsheet, and the records export

import-line-problem = line { $line }, column “{ $column }”: { $message }
error-import_not_a_number = Please enter a whole number.
error-import_not_yes_no = Please enter yes or no.
error-import_row_unreadable = This row could not be read.
error-import_unreadable = The file could not be read. Please upload a CSV or XLSX file.
error-import_no_header = The file has no header row. The first row must name the columns.
error-import_too_many_rows = The file has too many rows. Please split it into smaller files.
error-import_mapping_malformed = The mapping file could not be read. It must be TOML with a [columns] table.
error-import_unknown_field = The mapping names a field that does not exist.
error-import_unknown_column = Some columns are not field names and have no mapping. Please choose a field for each column, or leave it out.
error-import_duplicate_field = Two columns go to the same field. Please choose each field once.
error-export_cell_too_long = A cell is longer than a spreadsheet cell can hold. Please export as CSV.
error-export_write_failed = The file could not be written.
error-import_too_large = The file is too large. Please split it into smaller files.
error-import_no_file = Please choose a CSV or XLSX file.
error-import_no_rows = The file has a header row but no rows below it.
error-import_expired = That upload is no longer available (it expires after 30 minutes, and after it is imported). Please upload the file again.

nav-import = Import
import-title = Import people from a spreadsheet
import-intro = Upload a CSV or XLSX file with one person per row. The first row names the columns. On the next page you say which column is which field, then you see a preview before anything is saved.
import-all-or-nothing = The import is all or nothing: if any row has a mistake, nothing is imported, unless you choose to skip the rows with mistakes. Every person is saved encrypted, as at intake, and the import is recorded in the audit log.
import-file = Spreadsheet file
import-file-hint = CSV or XLSX, up to { $mb } MB. The file is kept only in memory until you confirm, never on disk.
import-upload = Upload and choose columns
import-fields-heading = Fields you can import
import-fields-intro = A column named exactly like one of these fields is recognised by itself. Dates may be written 2024-03-05 or 05/03/2024 (day first); languages and countries by code or by name, in Spanish or English.
import-field-given_name = Given name
import-field-family_name = Family name
import-field-alias = Alias (the name the person wants to be called)
import-field-birth_date = Date of birth
import-field-estimated_age = Estimated age
import-field-gender = Gender
import-field-citizenship = Citizenship (one or more countries)
import-field-primary_language = Primary language
import-field-languages = Other languages
import-field-interpreter_needed = Needs an interpreter (yes or no)
import-field-household_size = Household size
import-field-dependants = Dependants
import-field-phone = Phone
import-field-email = Email
import-field-address = Address
import-field-narrative = Story
import-mapping-title = Which column is which field?
import-mapping-intro = The file has { $rows ->
    [one] one row
   *[other] { $rows } rows
  } below its header. Choose a field for each column, or leave the column out.
import-mapping-caption = Columns of the file
import-column = Column
import-field = Field
import-leave-out = Leave this column out
import-skip-bad-rows = Import the good rows even if some rows have mistakes
import-skip-bad-rows-hint = Without this, a single row with a mistake stops the whole import.
import-preview = Check the rows
import-start-again = Upload another file
import-preview-title = Preview of the import
import-summary-rows = { $rows ->
    [one] One row.
   *[other] { $rows } rows.
  }
import-summary-good = { $count ->
    [one] One is ready to import.
   *[other] { $count } are ready to import.
  }
import-summary-bad = { $count ->
    [0] No mistakes found.
    [one] One mistake found.
   *[other] { $count } mistakes found.
  }
import-problems-caption = Rows with mistakes
import-line = Line
import-problem = Mistake
import-duplicates-caption = Possible duplicates
import-on-file = People already on file who match
import-case-numbers = Their case numbers (those you may see)
import-same-as-line = Same person as line
import-duplicates-hint = A possible duplicate is still imported. Check these people afterwards and, if they are the same, keep one record.
import-confirm = { $count ->
    [one] Import one person
   *[other] Import { $count } people
  }
import-blocked = Nothing can be imported while rows have mistakes. Correct the file and upload it again, or go back and choose to skip the rows with mistakes.
import-back-to-mapping = Back to the columns
import-done = { $count ->
    [one] One person was imported.
   *[other] { $count } people were imported.
  }
import-done-skipped = { $count ->
    [one] One row with mistakes was skipped.
   *[other] { $count } rows with mistakes were skipped.
  }
error-import_date_unreadable = This date could not be read. Please write it as 2024-03-05, or as 05/03/2024 with the day first.

## The command line's report (amparo import)
import-cli-line = line { $line }
import-cli-on-file = may be { $count } person(s) already on file
import-cli-same-as-line = looks like line { $line }
import-cli-dry-run = dry run: { $rows } rows, { $bad } bad, { $duplicates } possible duplicates; nothing imported
import-cli-nothing = nothing imported: { $bad } bad rows (fix them, or use --skip-bad-rows to import the others)
import-cli-imported = imported { $count } persons ({ $skipped } bad rows skipped)
