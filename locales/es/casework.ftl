# Trabajo de caso: etiquetas de los valores codificados de necesidades, metas, servicios,
# citas, logros, protección legal, notas y tareas (code-<vocabulario>-<código>, con los códigos
# tal como los guarda amparo-domain), y mensajes de error. Cada id existe también en
# ../en/casework.ftl.

## Tipos de registro en un caso

code-entry_kind-need_assessment = Valoración de necesidades
code-entry_kind-goal = Meta
code-entry_kind-service = Servicio
code-entry_kind-appointment = Cita
code-entry_kind-milestone = Logro
code-entry_kind-legal_relief = Protección legal
code-entry_kind-note = Nota

## Ámbitos de necesidades y metas

code-need_domain-safety = Seguridad
code-need_domain-housing = Vivienda
code-need_domain-physical_health = Salud física
code-need_domain-mental_health = Salud mental y bienestar
code-need_domain-legal_immigration = Situación legal y migratoria
code-need_domain-employment = Trabajo e ingresos
code-need_domain-education = Educación y capacitación
code-need_domain-children_family = Hijas, hijos y familia
code-need_domain-finances = Dinero y finanzas
code-need_domain-transport = Transporte y movilidad
code-need_domain-community_faith = Comunidad y fe

## Cómo va cada ámbito, según la propia persona

code-need_rating-in_crisis = En crisis
code-need_rating-vulnerable = Vulnerable
code-need_rating-stable = Estable
code-need_rating-safe = Segura
code-need_rating-thriving = Saliendo adelante
code-need_rating-not_discussed = No se habló

## Metas

code-goal_status-open = Abierta
code-goal_status-achieved = Lograda
code-goal_status-changed_by_survivor = La persona la cambió
code-goal_status-paused = En pausa

## Servicios

code-service_category-case_management = Gestión de caso
code-service_category-crisis_intervention = Intervención en crisis
code-service_category-legal_aid = Asesoría jurídica
code-service_category-housing = Vivienda
code-service_category-healthcare = Atención médica
code-service_category-mental_health = Salud mental
code-service_category-interpretation = Interpretación
code-service_category-accompaniment = Acompañamiento
code-service_category-transport = Transporte
code-service_category-basic_necessities = Necesidades básicas
code-service_category-education = Educación
code-service_category-employment = Empleo
code-service_category-childcare = Cuidado infantil
code-service_category-dental_care = Atención dental
code-service_category-substance_use = Apoyo por consumo de sustancias
code-service_category-life_skills = Habilidades para la vida
code-service_category-financial_assistance = Apoyo económico
code-service_category-family_reunification = Reunificación familiar
code-service_category-repatriation = Retorno seguro
code-service_category-other = Otro

## Citas

code-appointment_status-scheduled = Programada
code-appointment_status-attended = Asistió
code-appointment_status-missed = No asistió
code-appointment_status-cancelled = Cancelada
code-appointment_status-rescheduled = Reprogramada

code-appointment_place-office = Nuestra oficina
code-appointment_place-court = Juzgado
code-appointment_place-immigration_office = Oficina de migración
code-appointment_place-law_enforcement = Fiscalía o policía
code-appointment_place-consulate = Consulado
code-appointment_place-clinic = Clínica
code-appointment_place-hospital = Hospital
code-appointment_place-school = Escuela
code-appointment_place-shelter = Albergue
code-appointment_place-home_visit = Visita domiciliaria
code-appointment_place-phone_or_video = Llamada o videollamada
code-appointment_place-other = Otro lugar

## Logros

code-milestone_kind-first_apartment = Primer departamento propio
code-milestone_kind-job = Un trabajo
code-milestone_kind-school_enrolment = Inscripción en escuela o capacitación
code-milestone_kind-public_transport_alone = Usa el transporte público por su cuenta
code-milestone_kind-bank_account = Cuenta bancaria
code-milestone_kind-identity_documents = Recuperó sus documentos de identidad
code-milestone_kind-children = Un logro de sus hijas o hijos
code-milestone_kind-reunification = Se reunió con su familia
code-milestone_kind-own = Un logro propio

## Protección legal (Estados Unidos y México)

code-legal_relief_kind-t_visa = Visa T
code-legal_relief_kind-u_visa = Visa U
code-legal_relief_kind-continued_presence = Presencia Continuada (Continued Presence)
code-legal_relief_kind-hhs_certification = Carta de certificación de HHS
code-legal_relief_kind-hhs_eligibility = Carta de elegibilidad de HHS (menores)
code-legal_relief_kind-asylum = Asilo
code-legal_relief_kind-mx_denuncia = Denuncia penal (México)
code-legal_relief_kind-mx_victim_recognition = Reconocimiento de la calidad jurídica de persona ofendida (México)
code-legal_relief_kind-mx_humanitarian_visa = Tarjeta de visitante por razones humanitarias (México)

code-legal_relief_status-considering = En valoración
code-legal_relief_status-preparing = En preparación
code-legal_relief_status-requested = Solicitada
code-legal_relief_status-filed = Presentada
code-legal_relief_status-rfe = Requerimiento de pruebas
code-legal_relief_status-bona_fide = Determinación de buena fe
code-legal_relief_status-waitlisted = En lista de espera
code-legal_relief_status-granted = Otorgada
code-legal_relief_status-renewal_requested = Renovación solicitada
code-legal_relief_status-denied = Negada
code-legal_relief_status-appealed = Apelada
code-legal_relief_status-expired = Vencida
code-legal_relief_status-revoked = Revocada
code-legal_relief_status-withdrawn = Retirada

## Notas

code-note_kind-contact = Contacto
code-note_kind-outreach = Búsqueda de contacto
code-note_kind-supervision = Supervisión
code-note_kind-general = General

## Tareas

code-task_kind-manual = Tarea
code-task_kind-follow_up = Dar seguimiento
code-task_kind-goal_target = Fecha meta de un objetivo
code-task_kind-appointment = Recordatorio de cita
code-task_kind-consent_expiry = El consentimiento vence pronto: volver a preguntar
code-task_kind-safe_contact_reconfirm = Volver a confirmar el contacto seguro
code-task_kind-continued_presence_renewal = Presencia Continuada: pedir la renovación
code-task_kind-rfe_response = Responder al requerimiento de pruebas
code-task_kind-appeal_deadline = Plazo para apelar (I-290B)
code-task_kind-u_visa_certification_expiry = Vence la certificación de la visa U (Suplemento B): presentar antes
code-task_kind-adjustment_of_status = Ya se puede solicitar el ajuste de estatus
code-task_kind-t_visa_expiry = Vence el estatus T: planear ajuste o prórroga
code-task_kind-u_visa_expiry = Vence el estatus U: planear ajuste o prórroga
code-task_kind-hhs_interim_expiry = Vence la asistencia provisional de HHS
code-task_kind-mx_humanitarian_visa_renewal = Tarjeta de visitante por razones humanitarias: renovar

## Errores de captura

error-text_required = Por favor escriba algo aquí: es lo central de este registro.
error-text_too_long = El texto es demasiado largo. Por favor no pase de 20,000 caracteres.
error-time_malformed = Por favor escriba la hora como horas y minutos, por ejemplo 09:30 o 14:00.
error-number_out_of_range = Por favor escriba un número dentro del rango permitido (minutos de 0 a 1,440; recordatorio de 0 a 60 días).
error-date_out_of_range = Por favor revise la fecha: está demasiado lejos en el pasado o en el futuro.
error-title_too_long = El título es demasiado largo para una tarea. Por favor no pase de 500 caracteres; los detalles van en una nota.
error-task_already_done = Esta tarea ya estaba marcada como hecha, así que no se cambió nada.
