# Pruebas de detección: instrumentos validados y la revisión de indicadores de trata. Las
# palabras de cada instrumento (preguntas, opciones, rangos, avisos, licencias) están en
# instruments/*.toml. Cada id debe existir también en ../en/screenings.ftl (una prueba lo verifica).

code-task_kind-screening_alert = Alerta de una prueba: dar seguimiento hoy

## Sección en la página de la persona y página de pruebas

sc-title = Pruebas de detección
sc-person-link = Pruebas y tendencias
sc-person-summary = { $count ->
    [0] Todavía no hay pruebas.
    [one] Una prueba.
   *[other] { $count } pruebas.
}
sc-latest = Más reciente
sc-back-person = Volver a la persona
sc-run-title = Aplicar una prueba
sc-run-hint = Elija un instrumento. Pregunte solo cuando la persona esté lista, en privado; puede detenerse en cualquier momento.
sc-run-link = Comenzar { $name }
sc-may-not-run = Su rol puede leer aquí los resultados de las pruebas, pero no aplicar una prueba.
sc-past-title = Pruebas anteriores
sc-past-none = No hay pruebas que usted pueda ver.
sc-past-caption = Pruebas, de la más antigua a la más reciente
sc-col-date = Fecha
sc-col-instrument = Instrumento
sc-col-total = Total
sc-col-band = Resultado
sc-col-flags = Alertas
sc-col-actions = Acciones
sc-view = Ver el resultado
sc-no-band = Sin rango
sc-trends-title = Tendencias
sc-trends-none = Las tendencias aparecen cuando la persona haya respondido una prueba.
sc-trend-chart-title = { $name }: total a lo largo del tiempo
sc-trend-chart-desc = { $count ->
    [one] Gráfica de línea de un total, el { $from }: { $first } (escala de 0 a { $max }). El mismo número está en la tabla de al lado.
   *[other] Gráfica de línea de { $count } totales, del { $from } al { $to }: de { $first } a { $last } (escala de 0 a { $max }). Los mismos números están en la tabla de al lado.
}
sc-trend-caption = { $name }: totales por fecha
sc-trend-axis-date = Fecha
sc-trend-axis-total = Total

## El formulario

sc-form-title = { $name }
sc-form-intro = Lea cada pregunta tal como está escrita y marque la respuesta de la persona.
sc-time-frame = Periodo
sc-item-legend = { $number }. { $text }
sc-question-n = Pregunta { $number }:
sc-extra-optional = Opcional, no cuenta para el total.
sc-field-case = Caso
sc-field-case-none = Sin vincular a un caso
sc-submit = Calificar y guardar
sc-about = Sobre este instrumento
sc-licence = Licencia
sc-attribution = Atribución

## La página del resultado

sc-result-title = { $name }: resultado
sc-taken-on = Aplicada el { $date }
sc-total = Total: { $total } de { $max }
sc-band = Resultado: { $band }
sc-next-steps = Qué hacer ahora
sc-flags-title = Alertas
sc-critical = Urgente
sc-alert-sent = Se envió una tarea urgente a las personas que trabajan en el caso de esta persona y a la supervisión.
sc-alert-open = Todavía no se ha registrado el seguimiento.
sc-alert-done = Ya se registró el seguimiento.
sc-follow-up = Registrar el seguimiento
sc-followed-up = Se registró el seguimiento.
sc-clusters-title = Grupos de síntomas
sc-clusters-caption = Suma de cada grupo
sc-col-cluster = Grupo
sc-col-sum = Suma
sc-outcome-met = Se cumple
sc-outcome-not-met = No se cumple
sc-outcomes-title = Resultados de la prueba
sc-cutoff = punto de corte { $cut }
sc-hotlines-title = Líneas de ayuda
sc-hotline-text = Mensaje de texto: { $number }
sc-answers-title = Respuestas
sc-answers-caption = Las respuestas dadas, en el orden de las preguntas
sc-col-item = Pregunta
sc-col-answer = Respuesta
sc-screen-not-diagnosis = Una prueba de detección no es un diagnóstico: un resultado positivo necesita seguimiento de una persona calificada.

## Panel

sc-dashboard-alerts = Alertas de pruebas
sc-dashboard-alerts-hint = Una respuesta crítica (por ejemplo, pensamientos de muerte o de lastimarse en el PHQ-9). Cada una sigue aquí hasta que alguien registre el seguimiento.
sc-dashboard-alerts-caption = Alertas de pruebas abiertas, de la más antigua a la más reciente
sc-dashboard-alert-person = Expediente de la persona
sc-dashboard-alert-open = Abrir el resultado

## Errores

error-screening_unknown_instrument = No existe ese instrumento.
error-screening_answer_count = El número de respuestas no coincide con las preguntas. Por favor responda todas las preguntas.
error-screening_answer_out_of_range = Por favor elija una de las respuestas que se ofrecen para esta pregunta.
error-screening_answer_missing = Por favor elija una respuesta para esta pregunta.
error-screening_extra_out_of_range = Por favor elija una de las respuestas que se ofrecen, o deje esta pregunta sin responder.
