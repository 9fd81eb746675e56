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
