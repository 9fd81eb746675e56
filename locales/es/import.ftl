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
error-import_too_large = El archivo es demasiado grande. Divídalo en archivos más pequeños.
error-import_no_file = Elija un archivo CSV o XLSX.
error-import_no_rows = El archivo tiene fila de encabezados pero ninguna fila debajo.
error-import_expired = Ese archivo ya no está disponible (se descarta a los 30 minutos y después de importarlo). Súbalo de nuevo.

nav-import = Importar
import-title = Importar personas desde una hoja de cálculo
import-intro = Suba un archivo CSV o XLSX con una persona por fila. La primera fila nombra las columnas. En la siguiente página usted indica qué columna corresponde a cada campo, y verá una vista previa antes de que se guarde nada.
import-all-or-nothing = La importación es todo o nada: si alguna fila tiene un error, no se importa nada, a menos que usted elija omitir las filas con errores. Cada persona se guarda cifrada, igual que en el registro inicial, y la importación queda en la bitácora de auditoría.
import-file = Archivo de hoja de cálculo
import-file-hint = CSV o XLSX, de hasta { $mb } MB. El archivo se guarda solo en memoria hasta que usted confirme, nunca en disco.
import-upload = Subir y elegir columnas
import-fields-heading = Campos que puede importar
import-fields-intro = Una columna que se llame exactamente como uno de estos campos se reconoce sola. Las fechas pueden escribirse 2024-03-05 o 05/03/2024 (primero el día); los idiomas y países, por código o por nombre, en español o en inglés.
import-field-given_name = Nombre(s)
import-field-family_name = Apellido(s)
import-field-alias = Alias (el nombre con el que la persona quiere que le llamen)
import-field-birth_date = Fecha de nacimiento
import-field-estimated_age = Edad aproximada
import-field-gender = Género
import-field-citizenship = Nacionalidad (uno o más países)
import-field-primary_language = Idioma principal
import-field-languages = Otros idiomas
import-field-interpreter_needed = Necesita intérprete (sí o no)
import-field-household_size = Personas en el hogar
import-field-dependants = Dependientes
import-field-phone = Teléfono
import-field-email = Correo electrónico
import-field-address = Domicilio
import-field-narrative = Relato
import-mapping-title = ¿Qué columna corresponde a cada campo?
import-mapping-intro = El archivo tiene { $rows ->
    [one] una fila
   *[other] { $rows } filas
  } debajo de los encabezados. Elija un campo para cada columna, o deje la columna fuera.
import-mapping-caption = Columnas del archivo
import-column = Columna
import-field = Campo
import-leave-out = Dejar fuera esta columna
import-skip-bad-rows = Importar las filas correctas aunque algunas filas tengan errores
import-skip-bad-rows-hint = Si no marca esto, una sola fila con un error detiene toda la importación.
import-preview = Revisar las filas
import-start-again = Subir otro archivo
import-preview-title = Vista previa de la importación
import-summary-rows = { $rows ->
    [one] Una fila.
   *[other] { $rows } filas.
  }
import-summary-good = { $count ->
    [one] Una está lista para importarse.
   *[other] { $count } están listas para importarse.
  }
import-summary-bad = { $count ->
    [0] No se encontraron errores.
    [one] Se encontró un error.
   *[other] Se encontraron { $count } errores.
  }
import-problems-caption = Filas con errores
import-line = Línea
import-problem = Error
import-duplicates-caption = Posibles duplicados
import-on-file = Personas ya registradas que coinciden
import-case-numbers = Sus números de caso (los que usted puede ver)
import-same-as-line = Misma persona que la línea
import-duplicates-hint = Un posible duplicado sí se importa. Revise a estas personas después y, si son la misma, conserve un solo expediente.
import-confirm = { $count ->
    [one] Importar una persona
   *[other] Importar { $count } personas
  }
import-blocked = No se puede importar nada mientras haya filas con errores. Corrija el archivo y vuelva a subirlo, o regrese y elija omitir las filas con errores.
import-back-to-mapping = Regresar a las columnas
import-done = { $count ->
    [one] Se importó una persona.
   *[other] Se importaron { $count } personas.
  }
import-done-skipped = { $count ->
    [one] Se omitió una fila con errores.
   *[other] Se omitieron { $count } filas con errores.
  }
error-import_date_unreadable = No se pudo leer esta fecha. Escríbala como 2024-03-05, o como 05/03/2024 con el día primero.

## El informe de la línea de comandos (amparo import)
import-cli-line = línea { $line }
import-cli-on-file = puede ser { $count } persona(s) ya registrada(s)
import-cli-same-as-line = se parece a la línea { $line }
import-cli-dry-run = prueba: { $rows } filas, { $bad } con errores, { $duplicates } posibles duplicados; no se importó nada
import-cli-nothing = no se importó nada: { $bad } filas con errores (corríjalas, o use --skip-bad-rows para importar las demás)
import-cli-imported = se importaron { $count } personas ({ $skipped } filas con errores omitidas)
