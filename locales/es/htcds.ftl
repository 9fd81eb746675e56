## La exportación HTCDS con anonimato k (página y línea de comandos)

nav-htcds = Exportación para compartir
htcds-title = Exportación por registro para compartir (HTCDS)
htcds-intro = Una fila por cada persona con un caso, con las columnas del conjunto global de datos de CTDC, para organizaciones aliadas e investigadores. Cada fila del archivo aparece al menos k veces y cada grupo de filas muestra al menos dos tipos de explotación, para que nadie pueda ser identificado.
htcds-what-is-left-out = Nunca se incluyen nombres, identificadores, números de caso, texto libre, fechas exactas ni lugares más precisos que el país. Para llegar a k, las edades se agrupan en rangos, los países en regiones y los años en periodos; las celdas que todavía señalarían a alguien se dejan en blanco, y una persona se deja fuera por completo solo como último recurso. La exportación queda registrada en la bitácora de auditoría.
htcds-k = Tamaño mínimo de grupo (k)
htcds-k-hint = Al menos { $min }. CTDC publica con 11; con una k mayor se comparte menos detalle.
htcds-preview = Ver qué se compartiría
htcds-download = Descargar CSV
htcds-summary-heading = Qué contendría el archivo
htcds-summary-rows = { $rows } de { $persons } personas con un caso tienen una fila (cada fila aparece al menos { $k } veces; al menos { $l } tipos de explotación en cada grupo).
htcds-summary-records-suppressed = { $count ->
    [one] 1 persona queda fuera por completo.
   *[other] { $count } personas quedan fuera por completo.
}
htcds-summary-cells-suppressed = { $count ->
    [one] 1 celda se deja en blanco para que cada fila aparezca al menos { $k } veces.
   *[other] { $count } celdas se dejan en blanco para que cada fila aparezca al menos { $k } veces.
}
htcds-summary-l-diversity = { $count ->
    [one] 1 celda de explotación se deja en blanco para que cada grupo muestre al menos dos tipos.
   *[other] { $count } celdas de explotación se dejan en blanco para que cada grupo muestre al menos dos tipos.
}
htcds-summary-level = { $attribute }: { $level }
htcds-cli-written = Guardado en { $file } (sin cifrar: no contiene datos que identifiquen).
error-htcds_k_too_small = k debe ser un número entero de al menos 5 (CTDC publica con 11).
error-htcds_failed = No se pudo hacer la exportación.

htcds-attr-year = Año de registro
htcds-attr-gender = Género
htcds-attr-age = Edad
htcds-attr-citizenship = Nacionalidad
htcds-attr-country_of_exploitation = País de explotación
htcds-attr-means_of_control = Medios de control
htcds-attr-exploitation = Tipo de explotación

htcds-level-value = tal como se registró
htcds-level-blank = se omite
htcds-level-year = el año
htcds-level-period = periodo de cinco años
htcds-level-band = rango de edad de CTDC
htcds-level-wide-band = rango amplio de edad (0–17, 18–29, 30–47, 48+)
htcds-level-majority = solo menor o mayor de edad
htcds-level-country = el país
htcds-level-subregion = subregión de la ONU (p. ej., Centroamérica)
htcds-level-region = región de la ONU (p. ej., América)
htcds-level-type = cada tipo
htcds-level-broad-type = laboral, sexual u otro
