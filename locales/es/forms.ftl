# Formularios configurables (Configuración → Formularios), la página de la organización y la
# palabra con la que la organización nombra a las personas que atiende. Cada id debe existir
# también en ../en/forms.ftl (una prueba lo revisa).
# Lenguaje centrado en la persona: “sobreviviente”, “cliente” o “participante”, nunca “víctima”.
# Un mensaje que nombra a las personas atendidas recibe `$people` (survivor, client, participant).

## Navegación

nav-intake = { $people ->
        [client] Registrar cliente
        [participant] Registrar participante
       *[survivor] Registrar sobreviviente
    }
nav-organisation = Organización
nav-forms = Formularios

## La página de la organización

org-title = Organización
org-people-word-legend = Cómo nombramos a las personas que atendemos
org-people-word-hint = Todas las páginas usan esta palabra: el menú, los títulos y los mensajes. Elija la que le resulte cómoda a su equipo y a las personas que atienden.
org-people-word-link = Elegir cómo nombramos a las personas que atendemos
people-word-survivor = Sobreviviente
people-word-client = Cliente
people-word-participant = Participante

## Los formularios

forms-title = Formularios
forms-intro = Elija qué preguntas hace cada formulario, en qué orden y con qué palabras, y agregue las suyas. De entrada solo se pide lo que el trabajo necesita; cada cambio se guarda como una versión nueva.
forms-name-person = { $people ->
        [client] Expediente de cliente (registro y edición)
        [participant] Expediente de participante (registro y edición)
       *[survivor] Expediente de sobreviviente (registro y edición)
    }
forms-name-case = Caso
forms-name-assessment = Valoración de necesidades
forms-name-service = Servicio brindado
forms-version = Versión { $version }
forms-version-none = Sin cambios todavía: tal como viene Amparo.
forms-back = Regresar a los formularios
forms-edit-title = Formulario: { $form }
forms-edit-intro = Un campo oculto desaparece de los formularios y de las páginas, pero lo que ya se registró en él se conserva. Deje una etiqueta vacía para usar las palabras de Amparo. Los números de orden más bajos van primero.
forms-fields-caption = Los campos de este formulario, en orden
forms-col-field = Campo
forms-col-order = Orden
forms-col-shown = Se muestra y es obligatorio
forms-col-label-en = Etiqueta en inglés
forms-col-label-es = Etiqueta en español
forms-essential = Indispensable
forms-always-shown = Siempre se muestra: el trabajo lo necesita.
forms-always-required = Siempre se muestra y es obligatorio: el trabajo lo necesita.
forms-name-or-alias = Un nombre o un alias debe quedar en el formulario: así se vuelve a encontrar el expediente.
forms-hide-for = Ocultar “{ $field }”
forms-require-for = Hacer obligatorio “{ $field }”
forms-remove-for = Quitar “{ $field }” (lo registrado se conserva, pero no se muestra)
forms-order-for = Orden de “{ $field }”
forms-label-en-for = Etiqueta en inglés de “{ $field }”
forms-label-es-for = Etiqueta en español de “{ $field }”
forms-label-default = La etiqueta de Amparo
forms-kind = Tipo de respuesta
forms-kind-text = Texto
forms-kind-number = Número
forms-kind-date = Fecha
forms-kind-choice = Una opción de una lista
forms-choices = Opciones
forms-choices-hint = Una opción por renglón: código = etiqueta en inglés | etiqueta en español. Por ejemplo: church = Church | Iglesia
forms-new-legend = Agregar un campo propio
forms-new-hint = Póngale una etiqueta en los dos idiomas. Sus respuestas se guardan cifradas, como el resto del expediente, y las puede ver quien puede ver el expediente.
forms-new-required = Obligatorio
forms-new-choices-hint = Solo para “una opción de una lista”: una opción por renglón, etiqueta en inglés | etiqueta en español (el código se forma con la etiqueta en inglés), o código = etiqueta en inglés | etiqueta en español.
forms-save = Guardar el formulario
forms-notice-saved = El formulario se guardó como la versión { $version }.
forms-conflict-title = Otra persona guardó este formulario antes
forms-conflict-body = Otra persona administradora guardó un cambio mientras usted editaba (el formulario va en la versión { $version }). Sus cambios están abajo y no se guardaron: revíselos y vuelva a guardar.
forms-history-heading = Versiones
forms-history-caption = Cada versión guardada de este formulario, de la más reciente a la más antigua
forms-history-version = Versión
forms-history-when = Guardada el
forms-history-who = Por
forms-error-order = Escriba un número entero, por ejemplo 10, 20 o 30.
forms-error-choices-line = Cada renglón debe ser “etiqueta en inglés | etiqueta en español”, o “código = etiqueta en inglés | etiqueta en español”.

## Los campos propios de la organización en las páginas del expediente

forms-required-mark = (obligatorio)
forms-custom-legend = Más datos
forms-custom-section = Más datos
forms-custom-none = Todavía no hay nada registrado.

## Campos de la valoración de necesidades y de los servicios (se conectan cuando lleguen esos formularios)

forms-field-assessment-date = Fecha de la valoración
forms-field-assessment-ratings = Valoración por área
forms-field-assessment-rating_safety = Seguridad
forms-field-assessment-rating_housing = Vivienda
forms-field-assessment-rating_physical_health = Salud física
forms-field-assessment-rating_mental_health = Salud mental
forms-field-assessment-rating_legal_immigration = Situación legal y migratoria
forms-field-assessment-rating_employment = Empleo
forms-field-assessment-rating_education = Educación
forms-field-assessment-rating_children_family = Hijas, hijos y familia
forms-field-assessment-rating_finances = Dinero
forms-field-assessment-rating_transport = Transporte
forms-field-assessment-rating_community_faith = Comunidad y fe
forms-field-service-category = Tipo de servicio
forms-field-service-date = Fecha
forms-field-service-minutes = Minutos dedicados
forms-field-service-delivered_by = Quién lo brindó
forms-field-service-interpreter_used = Hubo intérprete
forms-field-service-interpreter_language = Idioma de la interpretación
forms-field-service-follow_up_on = Dar seguimiento el
forms-field-service-notes = Notas

## Errores (error-<código>, con el código tal como lo escribe amparo-domain)

error-form_unknown_field = Este formulario no tiene ese campo.
error-form_duplicate_field = Este campo aparece dos veces.
error-form_essential_hidden = Este campo no se puede ocultar: el trabajo lo necesita.
error-form_essential_required = No se puede cambiar si este campo es obligatorio: el trabajo lo necesita tal como está.
error-form_name_or_alias_hidden = Un nombre o un alias debe quedar en el formulario: sin ninguno de los dos, nadie podría volver a encontrar el expediente.
error-form_hidden_and_required = Un campo oculto no puede ser obligatorio: nadie podría contestarlo.
error-form_label_invalid = Una etiqueta puede tener como máximo 80 caracteres, sin “<” ni “>”.
error-form_label_missing = Escriba la etiqueta en inglés y en español.
error-form_too_many_custom_fields = Un formulario puede tener como máximo 30 campos propios.
error-form_code_invalid = Un código solo puede tener letras minúsculas sin acentos, números y “_”.
error-form_code_taken = Este código ya se usa, o lo usó un campo que se quitó.
error-form_choices_empty = Escriba al menos una opción.
error-form_choices_not_allowed = Solo un campo de “una opción de una lista” tiene opciones.
error-form_too_many_choices = Una lista puede tener como máximo 50 opciones.
error-form_kind_changed = El tipo de respuesta de un campo no puede cambiar una vez guardado. Quite el campo y agregue uno nuevo.
error-required = Conteste esta pregunta, o elija por qué no hay respuesta.
error-not_a_number = Escriba un número, por ejemplo 3 o 2.5.
error-date_malformed = Escriba la fecha como año-mes-día, por ejemplo 2026-03-31.
error-unknown_choice = Elija una de las opciones de la lista.
error-text_invalid = Escriba como máximo 2,000 caracteres de texto simple.
error-unknown_custom_field = Este formulario no tiene ese campo. Vuelva a cargar la página.
