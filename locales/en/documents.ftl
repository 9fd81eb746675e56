# Documents attached to a person or a case: scans, photos and PDFs.
# Every id must also exist in ../es/documents.ftl (a test checks).
# Person-centred language: “survivor” or “client”, never “victim”.

## The section on the person and case pages

documents-title = Documents
documents-none = There are no documents you may see.
documents-caption = Documents you may see, newest first
documents-col-title = Title
documents-col-kind = Kind
documents-col-case = Case
documents-col-type = File
documents-col-size = Size
documents-col-uploaded = Added
documents-col-actions = Actions
documents-download = Download
documents-delete = Delete
documents-notice-uploaded = The document was added.
documents-notice-deleted = The document was deleted.

## Adding a document

documents-add = Add a document
documents-field-file = File
documents-file-hint = A photo (JPEG, PNG or WebP) or a PDF, up to { $mb } MB. Location and camera details are removed from photos before they are saved.
documents-field-kind = Kind of document
documents-field-kind-hint = The kind decides who may open it: for example, a clinician sees medical papers but not identity documents.
documents-field-title = Title
documents-field-title-hint = Something that says what it is, for example “Birth certificate, first page”.
documents-field-case = Attach to a case
documents-field-case-none = To the person, not to one case
documents-submit = Add the document
documents-back = Back
documents-choose-again = For your safety the browser does not keep the file: please choose it again.
documents-may-not-upload = Your role cannot add documents to this record.

## Deleting

documents-delete-title = Delete this document?
documents-delete-warning = The file is deleted for good. The record of who added, opened and deleted it stays in the access log.
documents-delete-confirm = Yes, delete the document
documents-delete-cancel = No, go back

## Kinds of file

documents-type-jpg = JPEG photo
documents-type-png = PNG image
documents-type-webp = WebP image
documents-type-pdf = PDF

## Kinds of document

code-document_kind-identity_document = Identity document
code-document_kind-certification_letter = Certification or eligibility letter
code-document_kind-signed_consent = Signed consent
code-document_kind-legal = Legal document
code-document_kind-medical = Medical document
code-document_kind-photo = Photo
code-document_kind-other = Other

## What the access log calls these actions

records-log-action-upload = Added a document
records-log-action-download = Downloaded a document
records-log-action-list = Listed documents
records-log-action-delete = Deleted a document

## Problems with an upload

error-document_empty = Please choose a file to add.
error-document_too_large = The file is too large. Please choose a smaller file or a scan at a lower resolution.
error-document_type_not_allowed = This file is not a photo (JPEG, PNG or WebP) or a PDF. Files are checked by their content, not by their name.
error-document_title_invalid = Please give the document a title of at most 200 characters.
