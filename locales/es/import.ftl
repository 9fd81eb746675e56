## Importar desde una hoja de cálculo, y la exportación de expedientes

import-line-problem = línea { $line }, columna “{ $column }”: { $message }
error-import_not_a_number = Escriba un número entero.
error-import_not_yes_no = Escriba sí o no.
error-import_row_unreadable = No se pudo leer esta fila.
error-import_unreadable = No se pudo leer el archivo. Suba un archivo CSV o XLSX.
error-import_no_header = El archivo no tiene fila de encabezados. La primera fila debe nombrar las columnas.
error-import_too_many_rows = El archivo tiene demasiadas filas. Divídalo en archivos más pequeños.
error-import_mapping_malformed = No se pudo leer el archivo de correspondencias. Debe ser TOML con una tabla [columns].
error-import_unknown_field = El archivo de correspondencias nombra un campo que no existe.
error-import_unknown_column = Algunas columnas no son nombres de campo y no tienen correspondencia. Elija un campo para cada columna, o déjela fuera.
error-import_duplicate_field = Dos columnas van al mismo campo. Elija cada campo una sola vez.
error-export_cell_too_long = Una celda es más larga de lo que cabe en una celda de hoja de cálculo. Exporte en CSV.
error-export_write_failed = No se pudo escribir el archivo.
