# Modo sellado: la página de desbloqueo que muestra un servidor sellado hasta que un administrador lo desbloquee.
keys-unlock-title = Desbloquear Amparo
keys-unlock-intro = Este servidor guarda su llave sellada con una frase de acceso. Mientras un administrador no la ingrese, nadie puede iniciar sesión ni leer ningún dato.
keys-unlock-passphrase = Frase de desbloqueo
keys-unlock-submit = Desbloquear
keys-unlock-hint = Solo los administradores tienen la frase. Si usted no es administrador, intente más tarde o comuníquese con su administrador.
keys-unlock-locked = El servidor está bloqueado. Un administrador debe desbloquearlo antes de que alguien pueda usarlo.
keys-unlock-wrong = Esa frase no abre la llave. Revísela e intente de nuevo.
keys-unlock-too-many = Demasiados intentos desde esta dirección. Espere unos minutos antes de volver a intentarlo.
keys-unlock-expired = El formulario expiró. Ingrese la frase de nuevo.
keys-unlock-unusable = No se puede usar la llave sellada. Revise el registro del servidor y el directorio de llaves.
