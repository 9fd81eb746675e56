# Planes de seguridad y registro de crisis.
# Cada id debe existir también en ../en/safety_plans.ftl (una prueba lo verifica).
# Lenguaje centrado en la persona: “sobreviviente” o “persona usuaria”, nunca “víctima”.

## La sección en la página de la persona

safety-title = Plan de seguridad
safety-none = Todavía no se ha escrito un plan de seguridad.
safety-write = Escribir un plan de seguridad
safety-edit = Editar el plan de seguridad
safety-view = Abrir el plan de seguridad
safety-history = Historial de versiones
safety-print-pdf = Imprimir (PDF)
safety-print-html = Página para imprimir
safety-crisis-log = Registro de crisis
safety-current = Versión { $version }, guardada el { $when }
safety-current-by = Versión { $version }, guardada el { $when } por { $who }
safety-notice-saved = El plan de seguridad se guardó como una nueva versión. Las versiones anteriores se conservan.
safety-notice-crisis = Se registró el contacto de crisis y se creó una tarea de seguimiento para mañana.

## Las partes del plan (también los títulos del plan impreso, en el idioma de la persona)

safety-field-warning_signs = Señales de alerta
safety-field-safe_places = Lugares seguros
safety-field-safe_people = Personas de confianza
safety-field-code_words = Palabras clave
safety-field-take_with = Qué llevar
safety-field-emergency_numbers = Números de emergencia
safety-field-children_plan = Plan para las hijas e hijos
safety-field-digital_safety = Seguridad digital
safety-hint-warning_signs = Lo que le avisa a la persona que viene un peligro, en sus propias palabras.
safety-hint-safe_places = A dónde puede ir para estar a salvo, a cualquier hora.
safety-hint-safe_people = Personas en quienes confía y a quienes puede acudir, y cómo localizarlas.
safety-hint-code_words = Palabras acordadas con personas de confianza que significan “necesito ayuda”.
safety-hint-take_with = Documentos, medicinas, dinero, teléfono y cargador, llaves, y dónde los guarda.
safety-hint-emergency_numbers = Números a los que llamar en una emergencia. Las líneas de ayuda se imprimen en todos los planes.
safety-hint-children_plan = Quién cuida a las hijas e hijos, cómo llegan a un lugar seguro, qué saben.
safety-hint-digital_safety = Teléfono, cuentas, contraseñas y ubicación compartida.

## El formulario

safety-form-title = Plan de seguridad
safety-form-intro = Escriba el plan junto con la persona, con sus palabras. Cada vez que guarde se conserva como una nueva versión; no se pierde nada anterior.
safety-field-language = Idioma del plan impreso
safety-field-language-hint = La persona elige el idioma en que se imprime su plan.
safety-field-show_agency_name = El nombre de nuestra organización puede aparecer en el plan impreso
safety-field-show_agency_name-hint = No marque esta casilla a menos que la persona lo pida: un papel con nuestro nombre puede ponerla en riesgo si alguien más lo encuentra.
safety-submit = Guardar como nueva versión
safety-cancel = Volver sin guardar
safety-conflict = Alguien guardó una versión más reciente mientras usted escribía. Su texto sigue aquí: compárelo con el plan actual y guárdelo de nuevo para que el suyo sea la versión más reciente.

## Ver una versión

safety-old-version = Esta es una versión anterior, guardada tal como quedó.

safety-version-heading = Versión { $version }
safety-saved-at = Guardada el { $when }
safety-saved-by = Guardada el { $when } por { $who }

safety-current-link = Ver la versión actual
safety-nothing-written = No hay nada escrito.
safety-language = Idioma del plan impreso
safety-agency-shown = Nombre de la organización en el plan impreso
safety-contact-heading = Contacto seguro (del expediente de la persona)
safety-contact-hint = Estas reglas son parte del expediente de la persona, no de las versiones del plan. Para cambiarlas, edite los datos de la persona.
safety-contact-none = No hay preferencias de contacto seguro registradas.
safety-back-to-person = Volver a la persona

## Historial

safety-history-title = Versiones del plan de seguridad
safety-history-caption = Todas las versiones guardadas, de la más reciente a la más antigua
safety-col-version = Versión
safety-col-language = Idioma
safety-col-saved = Guardada
safety-col-by = Por
safety-history-open = Abrir la versión { $version }

## El plan impreso (en el idioma de la persona)

safety-print-title = Mi plan personal
safety-print-version = Versión { $version } · { $date }
safety-print-footer = Guarde este papel en un lugar seguro.
safety-print-contact = Cómo podemos comunicarnos con usted
safety-print-voicemail-yes = se puede dejar un mensaje
safety-print-voicemail-no = no dejar mensajes
safety-print-times = horario seguro: { $times }
safety-print-who = quién puede contestar: { $who }
safety-print-hotlines = Líneas de ayuda gratuitas
safety-print-hint = Use el comando Imprimir de su navegador para imprimir esta página, o descargue el PDF.
safety-print-download = Descargar el PDF

## Líneas de ayuda impresas en todos los planes (cámbielas aquí para otra región)

safety-hotline-emergency-name = Emergencias (México y EE. UU.)
safety-hotline-emergency-number = 911
safety-hotline-mx_trata-name = Línea y Chat Nacional contra la Trata de Personas, México (teléfono y WhatsApp, gratuita, 24 horas)
safety-hotline-mx_trata-number = 800 5533 000
safety-hotline-us_nhth-name = Línea Nacional contra la Trata de Personas, EE. UU. (llamada)
safety-hotline-us_nhth-number = 1-888-373-7888
safety-hotline-us_nhth_text-name = Línea Nacional contra la Trata de Personas, EE. UU. (mensaje de texto)
safety-hotline-us_nhth_text-number = 233733
safety-hotline-us_hsi-name = Línea de denuncias de HSI, EE. UU.
safety-hotline-us_hsi-number = 1-866-347-2423

## Registro de crisis

crisis-title = Registro de crisis
crisis-intro = Bastan unas pocas palabras sobre cada contacto de crisis: la historia de la persona se guarda una sola vez, en su expediente.
crisis-none = No hay contactos de crisis registrados.
crisis-caption = Contactos de crisis, del más reciente al más antiguo
crisis-col-when = Cuándo
crisis-col-what = Qué pasó
crisis-col-actions = Acciones tomadas
crisis-col-referrals = Canalizaciones
crisis-col-by = Registró
crisis-add = Registrar un contacto de crisis
crisis-field-date = Fecha
crisis-field-date-hint = Año-mes-día. Deje fecha y hora vacías para registrar el momento actual.
crisis-field-time = Hora (UTC)
crisis-field-time-hint = Horas y minutos, por ejemplo 21:30.
crisis-field-what_happened = Qué pasó, en pocas palabras
crisis-field-actions_taken = Acciones tomadas
crisis-field-referrals_made = Canalizaciones realizadas
crisis-follow-up-note = Al registrarlo se crea una tarea de seguimiento para el día siguiente.
crisis-submit = Registrar el contacto de crisis
crisis-error-too-long = Escriba solo unas pocas palabras (500 caracteres como máximo).
code-task_kind-crisis_follow_up = Dar seguimiento a un contacto de crisis
