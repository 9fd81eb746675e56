# Solicitudes de borrado: una persona administradora lo pide y una persona supervisora distinta decide.

nav-erasures = Borrado
erasure-title = Solicitudes de borrado
erasure-intro = Cuando { $people ->
        [client] una persona cliente
        [participant] una persona participante
       *[survivor] una persona sobreviviente
    } pide que se borre su expediente, una persona administradora lo solicita aquí y una persona supervisora (otra persona) decide. El borrado no se puede deshacer: el expediente, sus casos y su llave se destruyen, y ningún respaldo puede recuperarlos.
erasure-caption = Solicitudes, de la más reciente a la más antigua
erasure-requested-at = Solicitada
erasure-requested-by = Solicitada por
erasure-person = Expediente
erasure-reason = Motivo
erasure-state = Estado
erasure-decision = Decisión
erasure-state-pending = En espera de supervisión
erasure-state-approved = Aprobada — borrado
erasure-state-declined = Rechazada
erasure-approve = Aprobar y borrar ahora
erasure-decline = Rechazar
erasure-request-heading = Solicitar un borrado
erasure-request-intro = Indique el expediente por uno de sus números de caso (el equipo se lo puede dar) o por su identificador, y explique el motivo.
erasure-who = Número de caso o identificador del expediente
erasure-who-hint = Por ejemplo 2026-000123.
erasure-who-not-found = No hay ningún expediente con ese número de caso o identificador en su organización.
erasure-request-submit = Solicitar el borrado
