// The English catalog: every string a person reads, as ICU MessageFormat. It defines the keys;
// fr.ts (and any further language) must have exactly the same ones. Terms: docs/GLOSSARY.md.
// Sections keep an area's messages together; keys are 'area.page.what'.
export const en = {
  // ── common: layout, support, language, preferences, errors, form fields
  'layout.brandTagline': 'Health monitoring',
  'layout.nav.label': 'Main',
  'layout.nav.menuLabel': 'Main menu',
  'layout.nav.patients': 'Patients',
  'layout.nav.accountSecurity': 'Account security',
  'layout.nav.preferences': 'Preferences',
  'layout.nav.administration': 'Administration',
  'layout.menu': 'Menu',
  'layout.signOut': 'Sign out',
  'layout.signedInAs': 'Signed in as {name}',
  'layout.titleSuffix': '{title} · HMS',
  'support.lead': 'Need help?',
  'support.leadRepeated': 'If this keeps happening,',
  'language.switchLabel': 'Language',
  'language.choose': 'Afficher en français',
  'preferences.title': 'Preferences',
  'preferences.intro': 'Choose the language HMS speaks to you in: on every page and in the e-mails it sends you.',
  'preferences.languageLegend': 'Language',
  'preferences.browserDefault': 'The language of my browser',
  'preferences.save': 'Save',
  'preferences.saved': 'Your preferences are saved.',
  'preferences.timeZoneNote': 'Times are shown in the clinic’s time zone ({zone}) whatever the language.',
  'preferences.invalidLanguage': 'Choose one of the languages in the list.',
  'errors.backToHms': 'Back to HMS',
  'errors.badUrl.title': 'Address not valid',
  'errors.badUrl.message': 'This address contains characters that cannot be read (a broken %-escape). Check the link.',
  'errors.paramTooLong.title': 'Address too long',
  'errors.paramTooLong.message': 'This address is longer than any HMS link. Check the link.',
  'errors.bodyTooLarge.title': 'Form too large',
  'errors.bodyTooLarge.message': 'What was sent is larger than 64 KiB, more than any HMS form needs. Nothing was saved.',
  'errors.mediaType.title': 'Unsupported form',
  'errors.mediaType.message': 'HMS accepts HTML forms (application/x-www-form-urlencoded) only. Nothing was saved.',
  'errors.bodyTimeout.title': 'Form too slow',
  'errors.bodyTimeout.message': 'The form took too long to arrive, so HMS stopped waiting for it. Nothing was saved. Check the connection and send it again.',
  'errors.csrfMissing.title': 'Form expired',
  'errors.csrfMissing.message': 'This form could not be checked: its security cookie is missing (cookies blocked, or the page is old). Go back, reload the page and try again.',
  'errors.csrfInvalid.title': 'Form expired',
  'errors.csrfInvalid.message': 'This form is out of date or did not come from HMS. Go back, reload the page and try again. Nothing was saved.',
  'errors.database.title': 'Database unavailable',
  'errors.database.message': 'HMS cannot reach its database; try again in a moment.',
  'errors.validation.title': 'Form not valid',
  'errors.validation.message': '{problems} Nothing was saved.',
  'errors.badRequest.title': 'Request not valid',
  'errors.badRequest.message': 'HMS could not understand this request. Nothing was saved.',
  'errors.internal.title': 'Something went wrong',
  'errors.internal.message': 'HMS could not finish this request because of a problem on our side. Try again in a moment.',
  'errors.notFound.title': 'Page not found',
  'errors.notFound.message': 'There is no page at this address. Check the link, or go back to HMS.',
  'validation.missing': '{label} is missing.',
  'validation.notText': '{label} must be text.',
  'validation.tooLong': '{label} is too long (at most {max, number} characters).',
  'validation.notCheckbox': '{label} must be a checkbox.',
  'validation.nul': 'The request contains a character that is not allowed (U+0000). Remove it and try again.',
  'support.administrator': '{lead} {capital, select, yes {Contact} other {contact}} your HMS administrator.',
  'support.emailAndPhone': '{lead} {capital, select, yes {Contact} other {contact}} support at <email>{email}</email> or by phone on <phone>{phone}</phone>.',
  'support.emailOnly': '{lead} {capital, select, yes {Contact} other {contact}} support at <email>{email}</email>.',
  'support.phoneOnly': '{lead} {capital, select, yes {Contact} other {contact}} support by phone on <phone>{phone}</phone>.',
  'field.accountId': 'The account id',
  'field.choiceAboutRememberedDevices': 'The choice about remembered devices',
  'field.clinician': 'The clinician',
  'field.code': 'The code',
  'field.comment': 'The comment',
  'field.correctedNote': 'The corrected note',
  'field.currentPassword': 'The current password',
  'field.dateOfBirth': 'Date of birth',
  'field.description': 'The description',
  'field.device': 'The device',
  'field.email': 'Email',
  'field.endOfTheRange': 'The end of the range',
  'field.externalId': 'External id',
  'field.flagId': 'The flag id',
  'field.formToken': 'The form token',
  'field.fullName': 'Full name',
  'field.height': 'Height',
  'field.iHaveSavedTheseCodes': 'I have saved these codes',
  'field.id': 'The id',
  'field.invitationLink': 'The invitation link',
  'field.language': 'The language',
  'field.ruleThreshold': '{rule}: the threshold',
  'field.ruleDuration': '{rule}: the duration',
  'field.key': 'The key',
  'field.keyName': 'The key name',
  'field.newPassword': 'The new password',
  'field.newPasswordAgain': 'The new password (again)',
  'field.note': 'The note',
  'field.password': 'Password',
  'field.passwordAgain': 'Password again',
  'field.passwordResetLink': 'The password-reset link',
  'field.patientId': 'The patient id',
  'field.rePairingLink': 'The re-pairing link',
  'field.reason': 'The reason',
  'field.recordId': 'The record id',
  'field.recoveryCode': 'The recovery code',
  'field.rememberThisDevice': 'Remember this device',
  'field.resource': 'The resource',
  'field.returnAddress': 'The return address',
  'field.securityKeyAnswer': 'The security key answer',
  'field.session': 'The session',
  'field.setupLink': 'The setup link',
  'field.sex': 'Sex',
  'field.startOfTheRange': 'The start of the range',
  'field.weight': 'Weight',
  'field.whatTheRangeWas': 'What the range was',
  // ── end common


  // ── signin: sign-in pages: /login, /mfa/*, /step-up, /re-pair, /setup, /invitation, /logout
  // ── end signin


  // ── password: forgotten password and account pages: /password/*, /account/*
  // ── end password


  // ── admin: administration: /admin/*, audit event names, /admin/rules and /patients/:id/rules
  // ── end admin


  // ── patients: worklist, patients, triage, flags, erasure
  // ── end patients


  // ── records: recordings, charts (page and script), the PDF report, rule names and flag texts
  // ── end records


  // ── mail: e-mails and the recovery-codes text file
  // ── end mail

} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof en;
/** What every other language provides: each key of the English catalog, and only those. */
export type Catalog = Record<MessageKey, string>;
