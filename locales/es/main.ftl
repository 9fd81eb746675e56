# La estructura de la aplicación web: diseño, navegación, páginas genéricas, formularios,
# roles y los códigos de error del dominio (error-<código>, tal como los escribe
# amparo-domain). Cada id debe existir también en ../en/main.ftl (una prueba lo verifica).
# Lenguaje centrado en la persona: “sobreviviente” o “persona usuaria”, nunca “víctima”.

## Diseño

app-name = Amparo
skip-to-content = Ir al contenido principal
nav-main-label = Navegación principal
nav-home = Inicio
nav-settings = Configuración
nav-users = Personal
nav-audit = Registro de auditoría
nav-logout = Cerrar sesión
nav-login = Iniciar sesión
signed-in-as = Sesión iniciada como { $name }
language-switch-label = Idioma
language-switch-button = Cambiar idioma
language-es = Español
language-en = English
footer-text = Amparo es software libre, con licencia GNU AGPL.

## Salida rápida (páginas públicas)

quick-exit = Salida rápida
quick-exit-hint = Para salir rápido de esta página, seleccione “Salida rápida” o presione tres veces la tecla Shift (⇧).

## Inicio

page-home-title = Inicio
home-welcome = Le damos la bienvenida, { $name }.

## Páginas de error

error-back-home = Ir a la página de inicio
error-bad-request-title = Algo en la solicitud no estaba bien
error-bad-request-body = No pudimos entender lo que se envió. Por favor, regrese e intente de nuevo.
error-unauthorized-title = Por favor, inicie sesión
error-unauthorized-body = Necesita iniciar sesión para ver esta página.
error-forbidden-title = No tiene acceso a esta página
error-forbidden-body = Su rol no incluye esta función. Si cree que la necesita, pídala a su supervisora o supervisor, o a quien administra el sistema.
error-not-found-title = No encontramos la página
error-not-found-body = Es posible que la página se haya movido o que la dirección tenga un error. Revísela o vaya a la página de inicio.
error-conflict-title = Esto cambió mientras tanto
error-conflict-body = Otra persona guardó un cambio al mismo tiempo. Por favor, vuelva a cargar la página, revise lo que hay ahora e intente de nuevo.
error-payload-too-large-title = Es demasiado grande
error-payload-too-large-body = Lo que envió es más grande de lo que aceptamos. Pruebe con un archivo más pequeño o un texto más corto.
error-csrf-title = El formulario expiró
error-csrf-body = Por su seguridad, los formularios expiran después de un tiempo. Regrese, vuelva a cargar la página y envíelo de nuevo. No se guardó nada.
error-too-many-requests-title = Demasiados intentos
error-too-many-requests-body =
    { $minutes ->
        [one] Por seguridad, espere { $minutes } minuto e intente de nuevo.
       *[other] Por seguridad, espere { $minutes } minutos e intente de nuevo.
    }
error-internal-title = Algo salió mal de nuestro lado
error-internal-body = No es su culpa. Intente de nuevo en unos minutos; si sigue pasando, avise a quien administra el sistema.

## Formularios

form-save = Guardar
form-cancel = Cancelar
form-submit = Enviar
form-back = Regresar
form-delete = Eliminar
form-required = Obligatorio
form-optional = Opcional
form-errors-summary = Por favor, revise lo siguiente:
notice-saved = Se guardaron sus cambios.
table-empty = Todavía no hay nada aquí.

## Campos

field-email = Correo electrónico
field-name = Nombre
field-organisation-name = Nombre de la organización
field-role = Rol
field-language = Idioma
field-password = Contraseña
field-password-hint = Al menos 15 caracteres. Una frase de varias palabras que pueda recordar funciona muy bien; no necesita números ni símbolos.

## Roles (códigos como en Role de amparo-domain)

role-administrator = Administración
role-supervisor = Supervisión
role-case_manager = Gestión de casos
role-hotline = Línea de atención y acercamiento
role-clinician = Atención clínica
role-shelter_staff = Personal de albergue
role-volunteer = Voluntariado
role-analyst = Análisis de datos

## Errores del dominio (códigos como en DomainError y PasswordProblem de amparo-domain)

error-invalid_email = Escriba un correo electrónico como nombre@ejemplo.org.
error-invalid_name = Escriba un nombre de hasta 120 caracteres.
error-invalid_organisation_name = Escriba el nombre de la organización, de hasta 200 caracteres.
error-unknown_role = Elija uno de los roles de la lista.
error-unknown_language = Elija español o inglés.
error-password_too_short = Su contraseña necesita al menos 15 caracteres. Una frase de varias palabras que pueda recordar funciona muy bien, y no necesita números ni símbolos.
error-password_too_long = Esa contraseña tiene más de 256 caracteres. Elija una frase más corta.
error-password_common = Esa contraseña está en las listas que se prueban primero en los ataques. Elija otra: una frase de varias palabras sin relación entre sí funciona muy bien.
error-password_predictable = Esa contraseña sigue un patrón fácil de adivinar, como caracteres repetidos o consecutivos. Elija otra: una frase de varias palabras sin relación entre sí funciona muy bien.
error-password_contains_context = Esa contraseña se parece demasiado a su nombre, su correo electrónico, el nombre de su organización o “Amparo”. Elija una frase que no tenga que ver con ellos.
