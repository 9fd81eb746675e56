# Las personas de la organización: perfiles, capacitaciones, la política de acceso y los
# chequeos privados de autocuidado (ProQOL 5). Cada id debe existir también en ../en/staff.ftl.

nav-staff = Personal
nav-my-profile = Mi perfil
nav-wellbeing = Mi bienestar

## Mi bienestar

wb-title = Mi bienestar
wb-submit = Guardar mi chequeo
wb-item-missing = Pregunta { $number }: por favor elija una respuesta.
wb-history-title = Mis chequeos anteriores
wb-history-none = Todavía no tiene chequeos.
wb-history-caption = Sus chequeos, del más reciente al más antiguo (solo usted los ve)
wb-col-when = Cuándo
wb-about = Acerca de este cuestionario
wb-licence = Licencia
wb-attribution = Fuente
wb-result-title = El resultado de mi chequeo
wb-back = Volver a mi bienestar
wb-result-private = Solo usted puede ver este resultado. Nadie más en su organización puede verlo: ni su supervisora o supervisor, ni quien administra el sistema.
wb-result-caption = Sus tres puntajes
wb-col-subscale = Escala
wb-col-score = Puntaje
wb-col-band = Nivel
wb-col-mean = Promedio
wb-bands-explained = Cada escala va de 10 a 50: 22 o menos es bajo, de 23 a 41 moderado, 42 o más alto. En desgaste y estrés traumático secundario, menos es mejor; en satisfacción por compasión, más es mejor.
wb-not-a-diagnosis = Esto no es un diagnóstico. Si algún resultado le preocupa, considere hablar con alguien de su confianza o con una persona consejera; cuidarse también es parte del trabajo.

## Promedios para coordinación

wb-aggregate-title = Bienestar del equipo (promedios)
wb-aggregate-intro = Promedios de los chequeos privados de un mes, tomando el chequeo más reciente de cada persona. No se muestran las respuestas ni los resultados de nadie, y no se muestra nada de un mes en el que respondieron menos de cinco personas.
wb-period = Mes (AAAA-MM)
wb-show = Mostrar
wb-aggregate-of = Mes { $period }
wb-respondents = { $count ->
    [one] Respondió una persona.
   *[other] Respondieron { $count } personas.
}
wb-aggregate-caption = Puntaje promedio por escala
wb-too-few = No respondieron suficientes personas este mes para mostrar algo.
wb-periods = Meses que se pueden mostrar

## Personal y perfiles

staff-list-title = Personal de la organización
staff-list-caption = Personal y voluntariado, con su acceso a los { $people ->
        [client] expedientes de personas clientes
        [participant] expedientes de participantes
       *[survivor] expedientes de sobrevivientes
    }
staff-col-name = Nombre
staff-col-role = Rol
staff-col-start = Fecha de inicio
staff-col-access = Acceso a { $people ->
        [client] expedientes de personas clientes
        [participant] expedientes de participantes
       *[survivor] expedientes de sobrevivientes
    }
staff-profile-title = Perfil de { $name }
staff-profile-section = Perfil
staff-access-title = Acceso a { $people ->
        [client] expedientes de personas clientes
        [participant] expedientes de participantes
       *[survivor] expedientes de sobrevivientes
    }
staff-access-not-gated = La política de acceso de la organización no aplica a este rol.
staff-access-open = Abierto: se cumplieron el tiempo y las capacitaciones que pide la política.
staff-access-opens-on = Todavía no: se abre el { $date } si las capacitaciones están completas.
staff-access-no-start = Todavía no: no se ha registrado una fecha de inicio.
staff-access-missing = Capacitaciones pendientes: { $courses }.
staff-field-languages = Idiomas y nivel
staff-field-languages-hint = Código del idioma y nivel MCER (A1 a C2), separados por comas, por ejemplo: es C2, en B1
staff-field-backgrounds = Formación
staff-field-availability = Disponibilidad
staff-field-start = Fecha de inicio
staff-save = Guardar perfil
staff-trainings-title = Capacitaciones
staff-trainings-none = No hay capacitaciones registradas.
staff-col-course = Curso
staff-col-completed = Terminado el
staff-col-expires = Vence el
staff-col-valid = Vigente hoy
staff-valid-yes = Sí
staff-valid-no = No
staff-course-hint = Un código de curso, por ejemplo confidentiality o trauma_informed_care
staff-add-training = Registrar capacitación
staff-col-actions = Acciones
staff-remove-training = Quitar (registrada por error)
staff-background-social_work = Trabajo social
staff-background-psychology = Psicología
staff-background-counselling = Consejería
staff-background-community_development = Desarrollo comunitario
staff-background-children_youth = Trabajo con niñas, niños y jóvenes
staff-background-other = Otra

## La política de acceso

staff-policy-title = Política de acceso
staff-policy-intro = Cuánto tiempo después de su fecha de inicio, y después de cuáles capacitaciones, pueden las personas de los roles elegidos consultar expedientes. Quien administra el sistema la cambia.
staff-policy-months = Meses después de la fecha de inicio
staff-policy-courses = Capacitaciones requeridas (códigos de curso, separados por comas)
staff-policy-roles = Roles a los que aplica la política
staff-policy-save = Guardar política

## Errores

error-staff_invalid_language = Use un código de idioma de dos o tres letras (por ejemplo es, en, nah) seguido de un nivel de A1 a C2.
error-staff_duplicate_language = Anote cada idioma una sola vez, por favor.
error-staff_too_many = Son demasiadas entradas; mantenga la lista en doce como máximo.
error-staff_invalid_course = Use un código de curso con letras, números, - o _ (por ejemplo trauma_informed_care).
error-staff_expiry_before_completion = La fecha de vencimiento debe ser posterior a la fecha en que terminó.
error-staff_completed_in_future = La fecha en que terminó no puede ser futura.
error-staff_text_too_long = Este texto es demasiado largo (500 caracteres como máximo).
error-staff_policy_months = Elija entre 0 y 60 meses.
error-staff_conflict = Alguien más cambió este perfil mientras tanto. Revíselo y guárdelo de nuevo.
error-staff_invalid_date = Escriba la fecha como AAAA-MM-DD.
