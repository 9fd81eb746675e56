# Etiquetas de los valores codificados: code-<vocabulario>-<código>, con los códigos tal como
# los guarda amparo-domain. Los códigos de casos, personas y explotación vienen del Human
# Trafficking Case Data Standard (HTCDS 2.0, OIM, CC BY 4.0); las etiquetas son nuestras.
# Cada id debe existir también en ../en/vocabulary.ftl.

## Estado del caso (HTCDS)

code-case_status-Active = Activo
code-case_status-FollowUp = En seguimiento
code-case_status-Closed = Cerrado
code-case_status-ClosedReferred = Cerrado, canalizado

## Motivos de cierre

code-closure_reason-goals_met = Se cumplieron las metas de la persona
code-closure_reason-client_chose_to_end = La persona usuaria decidió terminar
code-closure_reason-lost_contact = Se perdió el contacto
code-closure_reason-referred_elsewhere = Canalizada a otra organización
code-closure_reason-moved_away = La persona se mudó
code-closure_reason-not_eligible = No cumple los requisitos de nuestros servicios
code-closure_reason-deceased = La persona falleció
code-closure_reason-other = Otro

## Situación de trata (HTCDS)

code-trafficking_status-PossibleVictimOfTrafficking = Posible situación de trata
code-trafficking_status-ActualVictimOfTrafficking = Situación de trata identificada
code-trafficking_status-NotAVictimOfTrafficking = Sin situación de trata

## Quién determinó la situación de trata (HTCDS)

code-status_decided_by-Police = Policía
code-status_decided_by-NGO = Organización de la sociedad civil
code-status_decided_by-CourtOrProsecution = Juzgado o fiscalía
code-status_decided_by-NonPoliceGovernmentalOrganization = Dependencia de gobierno distinta de la policía
code-status_decided_by-Other = Otro

## Tipos de explotación (HTCDS, y criminalidad forzada como código propio)

code-exploitation_type-ForcedLabour = Trabajos forzados
code-exploitation_type-SexualExploitation = Explotación sexual
code-exploitation_type-ChildLabour = Trabajo infantil
code-exploitation_type-ForcedMarriage = Matrimonio forzado
code-exploitation_type-Servitude = Servidumbre
code-exploitation_type-ForcedMilitaryByNonStateActors = Reclutamiento forzado por grupos armados
code-exploitation_type-OrganRemoval = Extracción de órganos
code-exploitation_type-ForcedBegging = Mendicidad forzada
code-exploitation_type-ForcedAdoption = Adopción forzada
code-exploitation_type-Surrogacy = Gestación subrogada forzada
code-exploitation_type-amparo_ForcedCriminality = Actividades delictivas forzadas
code-exploitation_type-Other = Otro

## Medios de control (HTCDS)

code-means_of_control-PhysicalThreats = Amenazas de daño físico
code-means_of_control-ThreatsLawEnforcement = Amenazas con la policía o migración
code-means_of_control-ThreatensChildrenFamily = Amenazas contra hijas, hijos o familia
code-means_of_control-DebtBondage = Servidumbre por deudas
code-means_of_control-FalsePromises = Promesas falsas
code-means_of_control-PhysicalAbuse = Violencia física
code-means_of_control-SexualAbuse = Violencia sexual
code-means_of_control-TakesEarnings = Le quitan sus ganancias
code-means_of_control-RestrictsFinancialAccess = Le impiden disponer de dinero
code-means_of_control-RestrictsMedicalCare = Le impiden recibir atención médica
code-means_of_control-WithholdsNecessities = Le niegan comida, descanso u otras necesidades
code-means_of_control-PsychologicalAbuse = Violencia psicológica
code-means_of_control-PsychoactiveSubstance = Consumo forzado de drogas o alcohol
code-means_of_control-ExcessiveWorkingHours = Jornadas excesivas
code-means_of_control-WithholdsDocuments = Le retienen documentos de identidad o de viaje
code-means_of_control-Other = Otro

## Cómo fue reclutada la persona (HTCDS)

code-recruitment-AtAPlaceOfBusiness = En un negocio
code-recruitment-AtAnEducationalInstitution = En una escuela
code-recruitment-AtWork = En el trabajo
code-recruitment-ThroughOnlineSocialNetworks = Por redes sociales
code-recruitment-ThroughAnOnlineAdvertisement = Por un anuncio en internet
code-recruitment-ThroughATelevisionAdvert = Por un anuncio en televisión
code-recruitment-ThroughANewspaperAdvert = Por un anuncio en el periódico
code-recruitment-ThroughFamilyOrFamilyEvents = Por medio de familiares o eventos familiares
code-recruitment-ThroughFriendsOrSocialEvents = Por medio de amistades o eventos sociales
code-recruitment-Other = Otro

## Género (HTCDS)

code-gender-Feminine = Mujer
code-gender-Masculine = Hombre
code-gender-TransgenderFeminine = Mujer trans
code-gender-TransgenderMasculine = Hombre trans
code-gender-NonConforming = No binario o de género no conforme
code-gender-NonSpecifiedUnknown = Sin especificar

## Medios de contacto

code-channel-phone = Llamada telefónica
code-channel-sms = Mensaje de texto (SMS)
code-channel-whatsapp = WhatsApp
code-channel-email = Correo electrónico
code-channel-mail = Correo postal
code-channel-in_person = En persona

## Qué cubre un consentimiento

code-consent_field-alias = Alias
code-consent_field-given_name = Nombre(s)
code-consent_field-family_name = Apellido(s)
code-consent_field-birth_date = Fecha de nacimiento
code-consent_field-gender = Género
code-consent_field-citizenship = Nacionalidad
code-consent_field-languages = Idiomas
code-consent_field-phone = Teléfono
code-consent_field-email = Correo electrónico
code-consent_field-address = Domicilio
code-consent_field-safe_contact = Respuestas de contacto seguro
code-consent_field-narrative = El relato de la persona
code-consent_field-case_summary = Resumen del caso
code-consent_field-screening = Resultados de tamizaje
code-consent_field-legal = Asuntos legales

## Cómo se otorgó el consentimiento

code-given_as-written = Por escrito
code-given_as-verbal_witnessed = De palabra, ante testigo

## Por qué falta una respuesta

code-decline-client_doesnt_know = La persona usuaria no lo sabe
code-decline-prefers_not_to_answer = Prefiere no responder
code-decline-not_collected = Aún no se pregunta

## Idiomas que se ofrecen primero

code-language-es = Español
code-language-en = Inglés
code-language-nah = Náhuatl
code-language-mix = Mixteco
code-language-zap = Zapoteco
code-language-yua = Maya yucateco
code-language-tzo = Tsotsil
code-language-mam = Mam
code-language-quc = K’iche’
