# Retención: el calendario de la organización para eliminar el texto libre de los casos cerrados y borrar expedientes
nav-retention = Retención
retention-title = Política de retención
retention-intro = Cuánto tiempo conserva la organización el texto libre de los casos cerrados y el expediente completo. Los campos codificados (fechas, estados, categorías) se conservan para las estadísticas; solo se elimina lo que está escrito con palabras. Lo que se elimina no se puede recuperar, ni siquiera de un respaldo.
retention-is-off = La retención está desactivada: no se elimina nada hasta que una persona administradora establezca al menos un plazo.
retention-policy-heading = Plazos
retention-rule-person-narrative = El relato de la persona
retention-rule-person-safe_contact = Preferencias de contacto seguro
retention-rule-case-notes = Texto de las notas del caso
retention-rule-person-erase = El expediente completo
retention-hint-person-narrative = Meses después de que se cerró el último caso de la persona. Se elimina el relato; el expediente se conserva.
retention-hint-person-safe_contact = Meses después de que se cerró el último caso de la persona. Se eliminan las palabras clave, las historias de cobertura y los horarios seguros.
retention-hint-case-notes = Meses después de que se cerró el caso. Se elimina el texto de sus notas; se conservan el tipo y la fecha.
retention-hint-person-erase = Meses después de que se cerró el último caso de la persona. El expediente completo se borra definitivamente (como una solicitud de borrado aprobada) y el borrado queda en el registro que se vuelve a aplicar al restaurar un respaldo.
retention-suggested = Sugerido: { $months } meses.
retention-months = { $months ->
    [one] 1 mes
   *[other] { $months } meses
}
retention-off = Desactivada
retention-save = Guardar los plazos
retention-suggested-intro = Configuración sugerida: relatos y texto de notas dos años después de que se cerró el caso; el expediente completo siete años después de que se cerró el último caso.
retention-use-suggested = Usar la configuración sugerida
retention-preview-heading = Lo que eliminaría la próxima ejecución
retention-preview-intro = La ejecución ocurre todos los días. Número de registros que vencen hoy; números de caso para quienes administran, nunca nombres.
retention-preview-empty = No hay ningún plazo establecido, así que no vence nada.
retention-preview-caption = Registros que vencen por regla
retention-rule = Regla
retention-period = Plazo
retention-closed-before = Casos cerrados el o antes del
retention-count = Registros que vencen
retention-case-numbers = Números de caso
retention-run-intro = La ejecución diaria lo hace por sí sola. Si la ejecuta ahora, se elimina de inmediato lo que aparece arriba.
retention-run = Ejecutar ahora
retention-ran = Se aplicó la política de retención.
retention-runs-heading = Últimas ejecuciones
retention-runs-caption = Ejecuciones, la más reciente primero
retention-ran-at = Cuándo
retention-ran-how = Cómo
retention-ran-by = Quién
retention-purged = Eliminado
retention-channel-web = Desde esta página
retention-channel-api = Por la API
retention-channel-cli = Línea de comandos
retention-channel-system = Ejecución diaria
retention-removed-on = Eliminado por la política de retención el { $date }.
error-retention_months_invalid = Escriba un número entero de meses entre 1 y 1200, o déjelo vacío para desactivar la regla.
