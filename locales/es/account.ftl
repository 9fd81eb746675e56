# Inicio de sesión, segundo paso, configuración propia, primera instalación, gestión de usuarios.

## Inicio de sesión

login-title = Iniciar sesión
login-submit = Iniciar sesión
login-forgot = ¿Olvidó su contraseña o perdió su teléfono? Pida ayuda a una persona administradora de su organización.
login-wrong-credentials = El correo electrónico o la contraseña no son correctos. Intente de nuevo.

## Segundo paso (TOTP)

mfa-enrol-title = Configure el segundo paso para iniciar sesión
mfa-enrol-intro = Cada vez que inicie sesión, Amparo también le pedirá un código de seis dígitos de una aplicación en su teléfono. Así la información de { $people ->
        [client] las personas clientes
        [participant] las personas participantes
       *[survivor] las personas sobrevivientes
    } sigue protegida aunque alguien conozca su contraseña.
mfa-enrol-step-app = Instale una aplicación de autenticación en su teléfono (por ejemplo FreeOTP, Aegis o Google Authenticator).
mfa-enrol-step-scan = En la aplicación, agregue una cuenta y escanee este código.
mfa-enrol-manual = Si no puede escanearlo, escriba esta clave:
mfa-enrol-step-code = Escriba abajo el código de seis dígitos que muestra la aplicación.
mfa-challenge-title = Escriba su código
mfa-challenge-intro = Abra su aplicación de autenticación y escriba el código de seis dígitos que muestra para Amparo.
mfa-code-label = Código de seis dígitos
mfa-code-hint = El código cambia cada 30 segundos. Cada código sirve una sola vez.
mfa-submit = Confirmar
error-wrong_mfa_code = Ese código no es correcto o ya se usó. Espere un código nuevo e intente otra vez.

## Inicio

home-role = Su rol: { $role }

## Contraseña

password-title = Cambiar su contraseña
password-required-intro = Antes de continuar, elija su propia contraseña. La que le dieron sirve una sola vez.
password-current = Contraseña actual
password-new = Contraseña nueva
password-confirm = Contraseña nueva, otra vez
password-submit = Cambiar contraseña
error-password-mismatch = Las dos contraseñas nuevas no coinciden.
error-wrong_current_password = La contraseña actual no es correcta.

## Configuración

settings-title = Configuración
settings-account = Su cuenta
settings-language-legend = El idioma en que Amparo le habla
settings-change-password = Cambiar su contraseña
settings-mfa-title = Segundo paso para iniciar sesión
settings-mfa-intro = Si cambió o perdió su teléfono, puede volver a configurar la aplicación de códigos. Se cerrarán todas sus sesiones y, al volver a entrar, escaneará un código nuevo.
settings-mfa-reset = Volver a configurar la aplicación de códigos

## Primera instalación

setup-title = Instalar Amparo
setup-intro = Cree su organización y su primera persona administradora. Este enlace sirve una sola vez.
setup-submit = Crear la organización

## Gestión de usuarios

admin-users-title = Personal
admin-users-caption = Personas que pueden iniciar sesión en su organización
admin-users-status = Estado
admin-users-actions = Acciones
admin-users-active = Activa
admin-users-disabled = Desactivada
admin-users-mfa-pending = aún sin aplicación de códigos
admin-users-role-of = Rol de { $name }
admin-users-change-role = Cambiar rol
admin-users-reset-mfa = Restablecer aplicación de códigos
admin-users-enable = Activar
admin-users-disable = Desactivar
admin-users-add = Agregar a alguien del personal
admin-users-add-intro = La persona nueva entra con la contraseña inicial que usted le dé; después elige la suya y configura la aplicación de códigos.
admin-users-initial-password = Contraseña inicial
admin-users-initial-password-hint = Al menos 15 caracteres. Entréguela en privado; la persona deberá cambiarla la primera vez que entre.
admin-users-add-submit = Agregar
error-duplicate_email = Ya existe una cuenta con este correo electrónico.

## Más páginas de error

error-unavailable-title = Amparo no está disponible en este momento
error-unavailable-body = No se perdió nada de lo que envió, pero puede que no se haya guardado. Intente de nuevo en un minuto; si sigue pasando, avise a la persona administradora.

## Bitácora de auditoría

audit-title = Bitácora de auditoría
audit-intro = Cada inicio de sesión, cambio y consulta de expedientes en su organización, del más reciente al más antiguo. Las entradas guardan identificadores y códigos, nunca nombres ni relatos. Consultar esta página también queda registrado.
audit-caption = Las 200 entradas más recientes
audit-when = Cuándo
audit-who = Quién
audit-channel = Por
audit-action = Qué
audit-target = Sobre
audit-outcome = Resultado
audit-detail = Detalle
audit-outcome-ok = Hecho
audit-outcome-denied = Rechazado
audit-outcome-failed = Fallido

## Avisos de acceso de emergencia (página de inicio de supervisión)

home-break-glass-heading = Accesos de emergencia en los últimos 14 días
home-break-glass-intro = Estas personas del equipo usaron el acceso de emergencia para abrir un caso fuera de su alcance, por el motivo que dieron. Revise cada uso.
home-break-glass-case = el caso
