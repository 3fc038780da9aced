// Le catalogue français (français canadien), clé pour clé celui de en.ts. Terminologie :
// docs/GLOSSARY.md. Typographie : espace insécable avant « : », dans « » et entre un nombre et son unité.
import type { Catalog } from './en.js';
export const fr = {
  // ── common: layout, support, language, preferences, errors, form fields
  'layout.brandTagline': 'Suivi de santé',
  'layout.nav.label': 'Navigation principale',
  'layout.nav.menuLabel': 'Menu principal',
  'layout.nav.patients': 'Patients',
  'layout.nav.accountSecurity': 'Sécurité du compte',
  'layout.nav.preferences': 'Préférences',
  'layout.nav.administration': 'Administration',
  'layout.menu': 'Menu',
  'layout.signOut': 'Se déconnecter',
  'layout.signedInAs': 'Connecté·e : {name}',
  'layout.titleSuffix': '{title} · HMS',
  'support.lead': 'Besoin d’aide?',
  'support.leadRepeated': 'Si le problème persiste,',
  'language.switchLabel': 'Langue',
  'language.choose': 'Show in English',
  'preferences.title': 'Préférences',
  'preferences.intro': 'Choisissez la langue dans laquelle HMS vous parle : sur chaque page et dans les courriels qu’il vous envoie.',
  'preferences.languageLegend': 'Langue',
  'preferences.browserDefault': 'La langue de mon navigateur',
  'preferences.save': 'Enregistrer',
  'preferences.saved': 'Vos préférences sont enregistrées.',
  'preferences.timeZoneNote': 'Les heures sont affichées dans le fuseau horaire de la clinique ({zone}), quelle que soit la langue.',
  'preferences.invalidLanguage': 'Choisissez une des langues de la liste.',
  'errors.backToHms': 'Retour à HMS',
  'errors.badUrl.title': 'Adresse non valide',
  'errors.badUrl.message': 'Cette adresse contient des caractères illisibles (un échappement % incomplet). Vérifiez le lien.',
  'errors.paramTooLong.title': 'Adresse trop longue',
  'errors.paramTooLong.message': 'Cette adresse est plus longue que tout lien de HMS. Vérifiez le lien.',
  'errors.bodyTooLarge.title': 'Formulaire trop volumineux',
  'errors.bodyTooLarge.message': 'L’envoi dépasse 64 Kio, plus que ce dont un formulaire de HMS a besoin. Rien n’a été enregistré.',
  'errors.mediaType.title': 'Formulaire non pris en charge',
  'errors.mediaType.message': 'HMS n’accepte que les formulaires HTML (application/x-www-form-urlencoded). Rien n’a été enregistré.',
  'errors.bodyTimeout.title': 'Formulaire trop lent',
  'errors.bodyTimeout.message': 'Le formulaire a mis trop de temps à arriver et HMS a cessé de l’attendre. Rien n’a été enregistré. Vérifiez la connexion et envoyez-le de nouveau.',
  'errors.csrfMissing.title': 'Formulaire expiré',
  'errors.csrfMissing.message': 'Ce formulaire n’a pas pu être vérifié : son témoin de sécurité est absent (témoins bloqués ou page ancienne). Revenez en arrière, rechargez la page et réessayez.',
  'errors.csrfInvalid.title': 'Formulaire expiré',
  'errors.csrfInvalid.message': 'Ce formulaire est périmé ou ne vient pas de HMS. Revenez en arrière, rechargez la page et réessayez. Rien n’a été enregistré.',
  'errors.database.title': 'Base de données indisponible',
  'errors.database.message': 'HMS ne parvient pas à joindre sa base de données; réessayez dans un instant.',
  'errors.validation.title': 'Formulaire non valide',
  'errors.validation.message': '{problems} Rien n’a été enregistré.',
  'errors.badRequest.title': 'Requête non valide',
  'errors.badRequest.message': 'HMS n’a pas pu comprendre cette requête. Rien n’a été enregistré.',
  'errors.internal.title': 'Une erreur s’est produite',
  'errors.internal.message': 'HMS n’a pas pu terminer cette requête à cause d’un problème de notre côté. Réessayez dans un instant.',
  'errors.notFound.title': 'Page introuvable',
  'errors.notFound.message': 'Aucune page ne se trouve à cette adresse. Vérifiez le lien ou retournez à HMS.',
  'validation.missing': 'Champ manquant : {label}.',
  'validation.notText': 'Le champ « {label} » doit être du texte.',
  'validation.tooLong': 'Le champ « {label} » est trop long (au plus {max, number} caractères).',
  'validation.notCheckbox': 'Le champ « {label} » doit être une case à cocher.',
  'validation.nul': 'La requête contient un caractère interdit (U+0000). Retirez-le et réessayez.',
  'support.administrator': '{lead} {capital, select, yes {Communiquez} other {communiquez}} avec l’administrateur de HMS.',
  'support.emailAndPhone': '{lead} {capital, select, yes {Écrivez} other {écrivez}} à l’équipe de soutien à <email>{email}</email> ou appelez-la au <phone>{phone}</phone>.',
  'support.emailOnly': '{lead} {capital, select, yes {Écrivez} other {écrivez}} à l’équipe de soutien à <email>{email}</email>.',
  'support.phoneOnly': '{lead} {capital, select, yes {Appelez} other {appelez}} l’équipe de soutien au <phone>{phone}</phone>.',
  'field.accountId': 'Identifiant du compte',
  'field.choiceAboutRememberedDevices': 'Choix concernant les appareils mémorisés',
  'field.clinician': 'Clinicien ou clinicienne',
  'field.code': 'Code',
  'field.comment': 'Commentaire',
  'field.correctedNote': 'Note corrigée',
  'field.currentPassword': 'Mot de passe actuel',
  'field.dateOfBirth': 'Date de naissance',
  'field.description': 'Description',
  'field.device': 'Appareil',
  'field.email': 'Courriel',
  'field.endOfTheRange': 'Fin de la plage',
  'field.externalId': 'Identifiant externe',
  'field.flagId': 'Identifiant de l’alerte',
  'field.formToken': 'Jeton du formulaire',
  'field.fullName': 'Nom complet',
  'field.height': 'Taille',
  'field.iHaveSavedTheseCodes': 'J’ai enregistré ces codes',
  'field.id': 'Identifiant',
  'field.invitationLink': 'Lien d’invitation',
  'field.language': 'Langue',
  'field.ruleThreshold': '{rule} : le seuil',
  'field.ruleDuration': '{rule} : la durée',
  'field.key': 'Clé',
  'field.keyName': 'Nom de la clé',
  'field.newPassword': 'Nouveau mot de passe',
  'field.newPasswordAgain': 'Nouveau mot de passe (confirmation)',
  'field.note': 'Note',
  'field.password': 'Mot de passe',
  'field.passwordAgain': 'Mot de passe (confirmation)',
  'field.passwordResetLink': 'Lien de réinitialisation du mot de passe',
  'field.patientId': 'Identifiant du patient',
  'field.rePairingLink': 'Lien de nouveau jumelage',
  'field.reason': 'Motif',
  'field.recordId': 'Identifiant de l’enregistrement',
  'field.recoveryCode': 'Code de récupération',
  'field.rememberThisDevice': 'Se souvenir de cet appareil',
  'field.resource': 'Ressource',
  'field.returnAddress': 'Adresse de retour',
  'field.securityKeyAnswer': 'Réponse de la clé de sécurité',
  'field.session': 'Session',
  'field.setupLink': 'Lien de configuration',
  'field.sex': 'Sexe',
  'field.startOfTheRange': 'Début de la plage',
  'field.weight': 'Poids',
  'field.whatTheRangeWas': 'Plage précédente',
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

} satisfies Catalog;
