# Páginas del trabajo de caso: las secciones de la página del caso, los formularios, la línea
# de tiempo, las tareas, el tablero y la descarga del calendario. Cada id existe también en
# ../en/casework_pages.ftl.

nav-tasks = Tareas
nav-dashboard = Tablero

## Las secciones de la página del caso

cw-case-work-nav = Trabajo del caso
cw-timeline-link = Línea de tiempo del caso
cw-tasks-link = Mis tareas y las del equipo
cw-dashboard-link = Tablero de casos
cw-section-needs = Valoraciones de necesidades
cw-section-goals = Plan de acompañamiento
cw-section-services = Servicios brindados
cw-section-appointments = Citas y acompañamientos
cw-section-milestones = Logros
cw-section-legal = Protección legal
cw-section-notes = Notas del caso
cw-goals-intro = Las metas que la persona eligió: opciones, no órdenes. Si la persona cambia una meta, no es un fracaso.
cw-none-yet = Todavía no hay nada registrado.
cw-needs-caption = Valoración por ámbito, la más reciente primero
cw-needs-latest = la más reciente
cw-needs-older = { $count ->
    [one] Hay una valoración anterior en la línea de tiempo.
   *[other] Hay { $count } valoraciones anteriores en la línea de tiempo.
}
cw-services-caption = Servicios brindados, del más antiguo al más reciente
cw-appointments-caption = Citas, de la más antigua a la más reciente
cw-milestones-caption = Logros, del más antiguo al más reciente
cw-col-actions = Acciones
cw-edit = Modificar
cw-interpreter = Intérprete
cw-add-assessment = Agregar una valoración de necesidades
cw-add-goal = Agregar una meta
cw-add-service = Agregar un servicio
cw-add-appointment = Agregar una cita
cw-add-milestone = Agregar un logro
cw-add-legal = Agregar un trámite de protección legal
cw-add-note = Agregar una nota
cw-add-task = Agregar una tarea
cw-notice-entry = Se guardó el registro.
cw-notice-task = Se agregó la tarea.
cw-notice-task-done = La tarea quedó como hecha.
cw-content-note = Aviso de contenido: esta nota describe situaciones de daño. Selecciona para leerla.
cw-note-original = Original
cw-note-translation = Traducción
cw-goal-words = La meta, con las palabras de la persona
cw-goal-chosen = Quién eligió esta meta
cw-goal-chosen-survivor = La eligió la persona
cw-goal-chosen-agreed = La propusimos y la persona estuvo de acuerdo
cw-goal-steps = Pasos, y quién hace qué
cw-goal-steps-hint = Un paso por renglón. Deja vacíos los renglones que no uses.
cw-goal-step = Paso { $n }
cw-goal-step-who = Quién hace el paso { $n }
cw-milestone-words = Con las palabras de la persona

## Protección legal: números reservados

cw-numbers-show = Ver números
cw-numbers-audited = Los números reservados están ocultos. Verlos queda registrado en la bitácora de accesos.
cw-numbers-title = Números reservados
cw-numbers-shown-once = Estos números se muestran solo en esta página y esta consulta quedó registrada. No los copie en ningún otro lugar.
cw-numbers-none = No hay números reservados guardados para este trámite.
cw-numbers-back = Regresar al caso

## Formularios

cw-form-add-title = Agregar: { $kind }
cw-form-edit-title = Modificar: { $kind }
cw-back-to-case = Regresar al caso { $number }
cw-back = Regresar al caso
cw-field-date = Fecha
cw-field-notes = Notas
cw-field-follow_up_on = Dar seguimiento el
cw-field-domain = Ámbito de vida
cw-field-text = Texto
cw-field-language = Idioma
cw-field-responsible = Persona del equipo responsable
cw-field-target_on = Fecha meta
cw-field-status = Estado
cw-field-category = Tipo de servicio
cw-field-minutes = Minutos
cw-field-delivered_by = Lo brindó
cw-field-interpreter_used = Hubo intérprete
cw-field-interpreter_language = Idioma de la interpretación
cw-field-time = Hora
cw-field-place = Tipo de lugar
cw-field-purpose = Motivo
cw-field-appointment_category = Tipo de apoyo
cw-field-accompanied_by = La acompaña
cw-field-reminder_days = Recordatorio (días antes)
cw-field-milestone = Logro
cw-field-relief_kind = Tipo de trámite
cw-field-kind = Tipo
cw-field-filed_on = Presentado el
cw-field-granted_on = Otorgado el
cw-field-expires_on = Vence el
cw-field-rfe_due_on = Plazo para entregar pruebas
cw-field-decided_on = Resuelto el
cw-field-certification_signed_on = Certificación firmada el
cw-field-interim_expires_on = La asistencia provisional vence el
cw-field-receipt_number = Número de recibo
cw-field-a_number = Número A (A-number)
cw-field-case_file_number = Número de carpeta de investigación
cw-field-note = Nota
cw-field-note_kind = Tipo de nota
cw-field-content_note = Poner un aviso de contenido antes de esta nota (describe situaciones de daño)
cw-field-translation = Traducción
cw-field-translation_language = Idioma de la traducción
cw-needs-ratings = Cómo va cada ámbito, según la persona
cw-needs-ratings-hint = Valora solo lo que la persona quiso platicar.
cw-hint-follow_up_on = Opcional. Se agrega una tarea de seguimiento para ese día.
cw-hint-goal-words = Escríbela como la dijo la persona, en el idioma en que la dijo.
cw-hint-language = El idioma que usó la persona.
cw-hint-note-language = El idioma en que está escrita esta nota.
cw-hint-milestone-words = Obligatorio para «Un logro propio».
cw-hint-minutes = De 0 a 1,440.
cw-hint-time = Horas y minutos, por ejemplo 09:30. Déjalo vacío si es todo el día.
cw-hint-place = Solo el tipo de lugar, nunca una dirección.
cw-hint-purpose = No aparece en los calendarios.
cw-hint-reminder_days = De 0 (el mismo día) a 60.
cw-hint-content_note = Así cada quien decide cuándo abrirla.
cw-hint-translation = Opcional. Aparece junto al original, marcada como traducción.
cw-relief-dates = Fechas clave
cw-relief-dates-hint = Los plazos se vuelven tareas; por ejemplo, la renovación de la Presencia Continuada con buena anticipación antes de que venza.
cw-relief-numbers = Números reservados
cw-relief-numbers-hint = Se guardan aparte y se ocultan en todas las páginas hasta que alguien pide verlos.
cw-relief-numbers-edit-hint = Los números guardados no se muestran aquí. Deje un campo vacío para conservar el número guardado; escriba uno nuevo para reemplazarlo.
cw-relief-remove-number = Quitar el { $number } guardado
cw-error-date-required = Por favor escriba una fecha.
cw-error-date-malformed = Por favor escriba la fecha como año-mes-día, por ejemplo 2026-03-31.
cw-error-number-required = Por favor escriba un número.
cw-error-number-malformed = Por favor escriba un número entero, por ejemplo 45.
cw-error-days = Por favor escriba un número de días entre 1 y 3,650.

## Línea de tiempo

cw-timeline-title = Línea de tiempo del caso { $number }
cw-timeline-filter = Mostrar
cw-timeline-filter-hint = Marque lo que quiera ver. Si no marca nada, se muestra todo.
cw-timeline-apply = Mostrar
cw-timeline-entries = Registros en orden de fecha
cw-timeline-empty = No hay nada que mostrar.
cw-timeline-case = Caso
cw-timeline-case_opened = Se abrió el caso
cw-timeline-case_closed = Se cerró el caso
cw-timeline-case_status = Cambió el estado
cw-timeline-screening = Prueba de detección
cw-timeline-referral = Canalización
cw-timeline-referral-outgoing = Canalización a una organización aliada
cw-timeline-referral-incoming = Canalización recibida

## Tareas

cw-tasks-title = Tareas
cw-tasks-days = Días hacia adelante
cw-tasks-apply = Actualizar
cw-tasks-until = Tareas que vencen a más tardar el { $date }; primero las atrasadas.
cw-tasks-mine = Mis tareas
cw-tasks-mine-caption = Tareas asignadas a mí, primero las atrasadas
cw-tasks-team = Tareas del equipo
cw-tasks-team-caption = Tareas de los casos en que trabajo, primero las atrasadas
cw-tasks-none = No hay tareas por vencer.
cw-task-due_on = Vence
cw-task-what = Tarea
cw-task-case = Caso
cw-task-assigned_to = Asignada a
cw-task-team = El equipo del caso
cw-task-overdue = Atrasada
cw-task-complete = Marcar como hecha
cw-task-title = Qué hay que hacer
cw-task-title-hint = Que sea breve, sin nombres ni detalles que la tarea no necesite.

## Tablero y calendario

cw-dashboard-title = Tablero de casos
cw-dashboard-own = Los casos en que trabajas.
cw-dashboard-organisation = Todos los casos de la organización que usted puede ver.
cw-dashboard-days = Casos sin contacto desde hace cuántos días
cw-dashboard-days-hint = De 1 a 3,650 días.
cw-dashboard-attention = Lo que necesita atención
cw-dashboard-attention-caption = Cantidades; «próximas» quiere decir hasta el { $date }
cw-dashboard-what = Qué
cw-dashboard-count = Cantidad
cw-dashboard-overdue = Tareas atrasadas
cw-dashboard-upcoming-appointments = Próximas citas
cw-dashboard-upcoming-deadlines = Próximos plazos legales
cw-dashboard-no-contact = Casos abiertos sin contacto desde hace { $days } días o más
cw-dashboard-by-status = Casos por estado
cw-dashboard-by-status-caption = Cantidad de casos en cada estado
cw-dashboard-total = Total
cw-dashboard-no-cases = Todavía no hay casos.
cw-dashboard-next-appointments = Próximas citas
cw-dashboard-next-appointments-caption = Citas programadas hasta el { $date }
cw-dashboard-next-deadlines = Próximos plazos legales
cw-dashboard-next-deadlines-caption = Plazos de protección legal hasta el { $date }
cw-dashboard-none-upcoming = Nada en los próximos 14 días.
cw-calendar-download = Descargar las citas para mi calendario (.ics)
cw-calendar-title = Descarga del calendario
cw-calendar-event = Cita de Amparo
cw-calendar-bad-window = Por favor indique una fecha de inicio y una de fin como año-mes-día, la de fin después de la de inicio y a no más de { $days } días.
