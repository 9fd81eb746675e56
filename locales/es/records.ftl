# Expedientes de sobrevivientes: primera entrevista, página de la persona, casos,
# consentimiento, búsqueda y registro de accesos. Cada id debe existir también en
# ../en/records.ftl (una prueba lo verifica).
# Lenguaje centrado en la persona: “sobreviviente” o “persona usuaria”, nunca “víctima”.

## Navegación e inicio

nav-cases = Casos
nav-search = Buscar
records-home-heading = Expedientes
records-home-intake = { $people ->
        [client] Registrar a una persona cliente
        [participant] Registrar a una persona participante
       *[survivor] Registrar a una persona sobreviviente
    }
records-home-caseload = Mis casos
records-home-search = { $people ->
        [client] Buscar a una persona cliente
        [participant] Buscar a una persona participante
       *[survivor] Buscar a una persona sobreviviente
    }

## Palabras comunes

records-yes = Sí
records-no = No
records-no-alias = (sin alias)
records-restricted = Restringido
records-back-to-person = Regresar a la página de la persona
records-error-date = Escriba la fecha como año-mes-día, por ejemplo 2026-03-31.
records-refused-title = Esto no se hizo
records-gone-title = Este expediente fue borrado
records-gone-body = El expediente de esta persona se borró a petición suya o por disposición legal, y no se puede recuperar. No se puede mostrar nada de él.
records-pagination = Páginas
records-previous = Página anterior
records-next = Página siguiente

## Datos de la persona

records-field-given_name = Nombre(s)
records-field-family_name = Apellido(s)
records-field-alias = Alias (el nombre con el que la persona quiere que le llamen)
records-field-birth_date = Fecha de nacimiento
records-field-estimated_age = Edad aproximada (si no se conoce la fecha de nacimiento)
records-field-gender = Género
records-field-citizenship = Nacionalidad
records-field-citizenship-hint = Códigos de país de dos letras, separados por comas, por ejemplo MX, GT.
records-field-primary_language = Idioma preferido
records-field-languages = Otros idiomas
records-field-languages-hint = Códigos de idioma separados por comas, por ejemplo es, nah.
records-field-interpreter_needed = Necesita intérprete
records-field-household_size = Personas en el hogar
records-field-dependants = Personas dependientes
records-field-phone = Teléfono
records-field-email = Correo electrónico
records-field-address = Domicilio
records-field-narrative = El relato de la persona
records-field-narrative-hint = Se escribe una sola vez, con las palabras de la persona cuando sea posible, para que nadie tenga que pedirle que lo cuente de nuevo.
records-language-other = Otro idioma (escriba su código)
records-language-other-code = Código de otro idioma
records-language-other-hint = Solo si el idioma no está en la lista: un código ISO 639 como “ood” o “tar”.
records-decline-for = { $field }: si no hay respuesta
records-decline-group = Sin respuesta
records-decline-hint = Todas las preguntas son opcionales. Si no hay respuesta, puede indicar el motivo.

## Primera entrevista

records-intake-title = { $people ->
        [client] Nuevo registro: cliente
        [participant] Nuevo registro: participante
       *[survivor] Nuevo registro: sobreviviente
    }
records-intake-intro = Por ahora basta con un alias o un nombre. Todo lo demás puede registrarse después, cuando la persona esté lista.
records-intake-name-legend = Cómo llamar a la persona
records-intake-name-hint = Basta con un alias o un nombre. Use el nombre con el que la persona quiere que le llamen.
records-intake-submit = Guardar la primera entrevista
records-duplicates-title = Posibles duplicados
records-duplicates-intro = Es posible que alguien que ya está registrado sea la misma persona. Revíselo antes de trabajar con dos expedientes.
records-duplicates-caption = Personas registradas con un nombre o teléfono parecido
records-duplicates-open-new = Ir al expediente nuevo

## Página de la persona

records-person-title = { $people ->
        [client] Cliente
        [participant] Participante
       *[survivor] Sobreviviente
    }
records-summary = Resumen
records-identity = Identidad
records-case-numbers = Números de caso
records-no-cases = Todavía no se ha abierto ningún caso.
records-open-case = Abrir un caso
records-edit-link = Editar el expediente
records-edit-title = Editar el expediente
records-log-link = Quién consultó este expediente
records-story = Relato
records-story-empty = No se ha registrado ningún relato.
records-content-note = Aviso de contenido: este relato describe violencia y explotación. Seleccione para leerlo.
records-content-note-warning = Léalo solo cuando su trabajo lo requiera, y tómese una pausa si la necesita.
records-notice-created = Se guardó la primera entrevista.
records-notice-outreach = Se registró el contacto.
records-notice-consent = Se registró el consentimiento.
records-notice-revoked = Se revocó el consentimiento.

## Contacto seguro y acercamiento

records-sc-title = Contacto seguro
records-sc-hint = Para cada medio de contacto, anote solo lo que dijo la persona. Un medio que no esté marcado como seguro no se usará.
records-sc-caption = Cómo contactar a la persona de forma segura
records-sc-channel = Medio
records-sc-safe = Es seguro usarlo
records-sc-not-safe = No es seguro
records-sc-voicemail = Se pueden dejar mensajes o buzón de voz
records-sc-agency = Se puede decir el nombre de la organización
records-sc-cover_story = Historia de cobertura
records-sc-code_word = Palabra clave
records-sc-safe_times = Horarios seguros
records-sc-who_may_answer = Quién puede contestar
records-sc-reconfirm = Estas respuestas de contacto seguro tienen más de 90 días o nunca se confirmaron. Confírmelas con la persona en la próxima oportunidad segura.
records-sc-confirmed-at = Última confirmación: { $when }
records-sc-confirmed-now = La persona confirmó estas respuestas hoy
records-outreach = Registrar un contacto
records-outreach-log = Registrar un contacto por { $channel }
records-outreach-not-safe = No usar

## Consentimiento

records-consents = Consentimiento para compartir
records-consents-none = No se ha registrado ningún consentimiento.
records-consents-caption = Consentimientos, del más reciente al más antiguo
records-consent-recipient = Destinatario
records-consent-fields = Qué se puede compartir
records-consent-purpose = Finalidad
records-consent-expires = Vigente hasta
records-consent-expires-hint = El consentimiento siempre tiene fecha límite: como máximo dos años a partir de hoy.
records-consent-given_as = Cómo se otorgó
records-consent-state = Estado
records-consent-actions = Acciones
records-consent-valid = Vigente
records-consent-expired = Vencido
records-consent-revoked = Revocado
records-consent-revoke = Revocar
records-consent-add = Registrar un consentimiento
records-consent-submit = Registrar el consentimiento

## Edición y conflictos

records-conflict-title = Otra persona guardó un cambio antes
records-conflict-body = Compare lo que usted escribió con lo que está guardado ahora (versión { $version }). Su texto sigue en el formulario de abajo: corríjalo si hace falta y vuelva a guardar.
records-conflict-caption = Lo que usted escribió y lo que está guardado ahora
records-conflict-field = Campo
records-conflict-typed = Lo que usted escribió
records-conflict-stored = Guardado ahora (versión { $version })
records-conflict-differs = distinto

## Casos

records-caseload-title = Casos
records-caseload-filters = Mostrar
records-caseload-any-status = Cualquier estado
records-caseload-mine = Solo los casos en los que participo
records-caseload-filter = Mostrar casos
records-caseload-caption = Casos, página { $page }
records-case-title = Caso { $number }
records-case-number = Número de caso
records-case-person-link = Ir a la página de la persona
records-case-facts = El caso
records-case-edit = Actualizar el caso
records-case-status = Estado
records-case-closure_reason = Motivo del cierre
records-case-closure_reason-hint = Solo cuando el caso esté cerrado.
records-case-trafficking_status = Situación de trata
records-case-status_decided_by = Quién determinó la situación de trata
records-case-exploitation_types = Tipos de explotación
records-case-means_of_control = Medios de control
records-case-recruitment = Cómo fue reclutada la persona
records-case-countries = Países
records-case-places = Lugares
records-case-places-hint = Códigos de estado como MX-CHH o US-TX, o códigos de país, separados por comas.
records-case-opened_on = Fecha de apertura
records-case-closed_on = Fecha de cierre
records-case-restricted = Restringido: solo el equipo puede ver este caso
records-case-restricted-hint = Ni siquiera quienes supervisan ven un caso restringido si no forman parte de su equipo. Las demás personas solo pueden usar el acceso de emergencia, que queda registrado y se revisa.
records-case-team = Equipo
records-case-team-hint = Marque a las personas del equipo que trabajan en este caso; desmarque a alguien para quitarle del equipo.
records-case-add-me = Agregarme al equipo
records-case-assigned_to = Gestora o gestor de caso asignado
records-case-you = Usted ({ $email })
records-notice-case-opened = Se abrió el caso { $number }.
records-notice-break-glass = Se concedió acceso de emergencia por 60 minutos. Quedó registrado y lo verán quienes supervisan.
records-case-forbidden-body = Este caso está restringido a su equipo, o no está entre sus casos.
records-break-glass-title = Acceso de emergencia
records-break-glass-intro = Úselo solo cuando la seguridad de alguien dependa de ello. Tendrá acceso únicamente a este caso durante 60 minutos; el motivo queda registrado y se avisa a quienes supervisan.
records-break-glass-reason = Por qué necesita acceso ahora
records-break-glass-reason-hint = Al menos 10 caracteres.
records-break-glass-submit = Solicitar acceso de emergencia
records-break-glass-active = Tiene acceso de emergencia a este caso hasta { $until }.

## Búsqueda

records-search-title = { $people ->
        [client] Buscar a una persona cliente
        [participant] Buscar a una persona participante
       *[survivor] Buscar a una persona sobreviviente
    }
records-search-intro = Busque por nombre, alias, teléfono o número de caso. Lo que escriba no se guarda.
records-search-label = Nombre, alias, teléfono o número de caso
records-search-hint = Al menos 2 caracteres.
records-search-submit = Buscar
records-search-none = No hay ninguna persona registrada que coincida.
records-search-names = Nombre
records-search-caption =
    { $count ->
        [one] Se encontró { $count } persona
       *[other] Se encontraron { $count } personas
    }
records-search-more = Hay más personas que coinciden de las que aparecen aquí. Agregue letras, o un apellido, para afinar la búsqueda.

## Registro de accesos

records-log-title = Quién consultó este expediente
records-log-intro = Cada consulta y cada cambio del expediente de esta persona y de sus casos, del más reciente al más antiguo.
records-log-caption = Consultas y cambios de este expediente
records-log-system = El sistema
records-log-action-read = Consulta
records-log-action-update = Cambio
records-log-action-create = Creación
records-log-action-break_glass = Acceso de emergencia
records-log-action-access_log = Consulta del registro de accesos
records-log-action-revoke = Revocación
records-log-action-erase = Borrado
records-log-target-person = { $people ->
        [client] Cliente
        [participant] Participante
       *[survivor] Sobreviviente
    }
records-log-target-case = Caso
records-log-channel-web = Web
records-log-channel-api = API
records-log-channel-cli = Línea de comandos
records-log-channel-system = Sistema

## Errores de los expedientes (códigos como en PersonFieldError y AppError::Refused)

error-name_or_alias_required = Escriba un alias o un nombre: basta con uno de los dos.
error-birth_date_in_future = La fecha de nacimiento no puede estar en el futuro.
error-birth_date_malformed = Escriba la fecha como año-mes-día, por ejemplo 1990-03-31.
error-age_out_of_range = Escriba un número entero entre 0 y 120.
error-phone_malformed = Escriba un teléfono solo con dígitos, espacios, “+”, “-” o paréntesis.
error-query_too_short = Escriba al menos 2 caracteres.
error-reason_too_short = Escriba el motivo con al menos 10 caracteres.
error-consent_too_long = El consentimiento puede durar como máximo dos años. Elija una fecha anterior.
error-consent_expiry_in_past = Esa fecha ya pasó. Elija una fecha a partir de hoy.
error-unknown_code = Elija una opción de la lista o revise el código.
error-channel_not_safe = Este medio no está marcado como seguro para esta persona, así que no se registró el contacto. Use un medio que la persona haya indicado como seguro, o confirme antes con ella las respuestas de contacto seguro.
records-consent-partner = Organización aliada del directorio
records-consent-partner-hint = Elija la organización a la que se otorga este consentimiento, o deje esto vacío y escriba abajo el nombre de quien lo recibe.
records-consent-partner-none = No está en el directorio (escriba el nombre abajo)
records-consent-recipient-one = Elija una organización del directorio o escriba el nombre de quien recibe, pero no ambos.
