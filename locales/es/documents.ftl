# Documentos de una persona o de un caso: escaneos, fotos y PDF.
# Cada id debe existir también en ../en/documents.ftl (una prueba lo verifica).
# Lenguaje centrado en la persona: “sobreviviente” o “persona usuaria”, nunca “víctima”.

## La sección en las páginas de la persona y del caso

documents-title = Documentos
documents-none = No hay documentos que usted pueda ver.
documents-caption = Documentos que usted puede ver, del más reciente al más antiguo
documents-col-title = Título
documents-col-kind = Tipo
documents-col-case = Caso
documents-col-type = Archivo
documents-col-size = Tamaño
documents-col-uploaded = Agregado
documents-col-actions = Acciones
documents-download = Descargar
documents-delete = Eliminar
documents-notice-uploaded = Se agregó el documento.
documents-notice-deleted = Se eliminó el documento.

## Agregar un documento

documents-add = Agregar un documento
documents-field-file = Archivo
documents-file-hint = Una foto (JPEG, PNG o WebP) o un PDF, de hasta { $mb } MB. A las fotos se les quitan la ubicación y los datos de la cámara antes de guardarlas.
documents-field-kind = Tipo de documento
documents-field-kind-hint = El tipo decide quién puede abrirlo: por ejemplo, el personal clínico ve los documentos médicos, pero no las identificaciones.
documents-field-title = Título
documents-field-title-hint = Algo que diga qué es, por ejemplo “Acta de nacimiento, primera hoja”.
documents-field-case = Agregar a un caso
documents-field-case-none = A la persona, no a un caso
documents-submit = Agregar el documento
documents-back = Regresar
documents-choose-again = Por seguridad, el navegador no guarda el archivo: vuelva a elegirlo, por favor.
documents-may-not-upload = Su rol no puede agregar documentos a este expediente.

## Eliminar

documents-delete-title = ¿Eliminar este documento?
documents-delete-warning = El archivo se elimina para siempre. El registro de quién lo agregó, lo abrió y lo eliminó se queda en el registro de accesos.
documents-delete-confirm = Sí, eliminar el documento
documents-delete-cancel = No, regresar

## Tipos de archivo

documents-type-jpg = Foto JPEG
documents-type-png = Imagen PNG
documents-type-webp = Imagen WebP
documents-type-pdf = PDF

## Tipos de documento

code-document_kind-identity_document = Identificación
code-document_kind-certification_letter = Carta de certificación o de elegibilidad
code-document_kind-signed_consent = Consentimiento firmado
code-document_kind-legal = Documento legal
code-document_kind-medical = Documento médico
code-document_kind-photo = Fotografía
code-document_kind-other = Otro

## Cómo llama el registro de accesos a estas acciones

records-log-action-upload = Agregó un documento
records-log-action-download = Descargó un documento
records-log-action-list = Consultó la lista de documentos
records-log-action-delete = Eliminó un documento

## Problemas al agregar un documento

error-document_empty = Elija un archivo para agregar, por favor.
error-document_too_large = El archivo es demasiado grande. Elija un archivo más pequeño o un escaneo de menor resolución.
error-document_type_not_allowed = Este archivo no es una foto (JPEG, PNG o WebP) ni un PDF. Los archivos se revisan por su contenido, no por su nombre.
error-document_title_invalid = Dé al documento un título de 200 caracteres como máximo, por favor.
