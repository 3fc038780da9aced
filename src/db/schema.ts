// Table types, shared by SQLite and PostgreSQL. Times are integers: milliseconds since the epoch,
// from the injected clock, never the database's own now().
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export type Role = 'admin' | 'clinician';

export interface UsersTable {
  id: string;
  email: string; // lower-cased: emails are case-insensitive and unique
  name: string;
  role: Role;
  password_hash: string | null;
  password_changed_at: number | null;
  created_at: number;
  disabled_at: number | null;
  /** 'en', 'fr' (i18n/languages.ts), or null: no choice saved. */
  language: string | null;
}

export interface TotpCredentialsTable {
  id: string;
  user_id: string;
  key_id: string;
  secret_ciphertext: Buffer;
  created_at: number;
  confirmed_at: number | null;
  /** The highest time step accepted so far: a code of this step or an earlier one is a replay. */
  last_used_step: number | null;
  /** While pending: the session (hash) of the sign-in that showed this secret. */
  enrollment_session_hash: string | null;
}

export type SessionStage = 'pending' | 'full';

export interface SessionsTable {
  id_hash: string; // SHA-256 of the cookie token; the token itself is never stored
  user_id: string;
  stage: SessionStage;
  created_at: number;
  last_seen_at: number;
  expires_at: number; // absolute end, whatever the activity
  return_to: string | null;
  client_ip: string;
  user_agent: string;
  /** Wrong codes entered in this pending session. */
  code_failures: ColumnType<number, number | undefined, number>;
  /** When this session last proved the second factor (a code); null after a remembered-device sign-in. */
  factor_verified_at: number | null;
}

export interface RememberedDevicesTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  client_ip: string;
  user_agent: string;
}

export interface SetupTokensTable {
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface PasswordThrottlesTable {
  email_hash: string;
  failures: number;
  blocked_until: number | null;
  updated_at: number;
}

export interface SecondFactorLocksTable {
  user_id: string;
  failures: number;
  locked_until: number | null;
  lockouts: number;
}

export interface AddressThrottlesTable {
  client_ip: string;
  window_start: number;
  failures: number;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: number;
  event: string;
  actor_user_id: string | null;
  subject_user_id: string | null;
  client_ip: string | null;
  user_agent: string | null;
  details: string; // JSON object
}

export interface InvitationsTable {
  token_hash: string;
  user_id: string;
  created_by: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

export interface Database {
  users: UsersTable;
  totp_credentials: TotpCredentialsTable;
  sessions: SessionsTable;
  remembered_devices: RememberedDevicesTable;
  setup_tokens: SetupTokensTable;
  password_throttles: PasswordThrottlesTable;
  second_factor_locks: SecondFactorLocksTable;
  address_throttles: AddressThrottlesTable;
  audit_events: AuditEventsTable;
  invitations: InvitationsTable;
  patients: PatientsTable;
  care_team_members: CareTeamMembersTable;
  records: RecordsTable;
  series_chunks: SeriesChunksTable;
  record_summaries: RecordSummariesTable;
  record_category_times: RecordCategoryTimesTable;
  recovery_codes: RecoveryCodesTable;
  recovery_code_reveals: RecoveryCodeRevealsTable;
  security_keys: SecurityKeysTable;
  webauthn_challenges: WebauthnChallengesTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type TotpCredential = Selectable<TotpCredentialsTable>;
export type RememberedDevice = Selectable<RememberedDevicesTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;

// Health data (migration 003). Patients are data subjects: they never sign in.

export type Sex = 'female' | 'male' | 'other' | 'unknown';

export interface PatientsTable {
  id: string;
  /** An identifier from outside HMS, such as a study subject id; unique when present. */
  external_id: string | null;
  name: string;
  /** Name and external id folded (lower case, no accents) so search behaves alike on both databases. */
  search_text: string;
  date_of_birth: string; // ISO date, YYYY-MM-DD: a birthday has no time zone
  sex: Sex;
  height_cm: number | null;
  weight_kg: number | null;
  created_at: number;
}

/** A clinician in a patient's care team sees that patient; admins see every patient. */
export interface CareTeamMembersTable {
  patient_id: string;
  user_id: string;
  assigned_at: number;
}

export type RecordStatus = 'complete' | 'recording';

export interface RecordsTable {
  id: string;
  patient_id: string;
  /** Epoch ms of the first sample (rounded down from start_timestamp). */
  started_at: number;
  /** Epoch ms just after the last sample: started_at + sample_count seconds. */
  ended_at: number;
  /** The exact HexoTimestamp (Unix time × 256) of the first sample, so exports reproduce it. */
  start_timestamp: number;
  /** Seconds covered, gaps included: every channel has this many samples. */
  sample_count: number;
  device_serial: string | null;
  status: RecordStatus;
  /** SHA-256 of the series as stored: the same recording imported twice is one record. */
  content_hash: string;
  /** The age-predicted maximum heart rate the zone times were computed with; null without a birth date. */
  heart_rate_max_bpm: number | null;
  created_at: number;
  created_by: string | null;
}

export interface SeriesChunksTable {
  record_id: string;
  datatype: number;
  /** Chunk n holds samples n × 3600 … n × 3600 + 3599; a chunk that is all gap is not stored. */
  chunk_index: number;
  samples: Buffer; // Float32 values, NaN = gap, plain or as runs: see health/chunk-encoding.ts
  /** Min and max of each 10-second block of samples, interleaved, same encoding: for wide charts. */
  extremes: Buffer;
}

/** Computed once at import, per record and channel. */
export interface RecordSummariesTable {
  record_id: string;
  datatype: number;
  /** Seconds with a value (gaps excluded). */
  sample_count: number;
  average: number | null;
  minimum: number | null;
  maximum: number | null;
}

/** Seconds spent per category: heart-rate zones (datatype 19, zone 0…5) and sleep positions (270, code). */
export interface RecordCategoryTimesTable {
  record_id: string;
  datatype: number;
  category: number;
  seconds: number;
}

export type Patient = Selectable<PatientsTable>;
export type HealthRecord = Selectable<RecordsTable>;
export type RecordSummary = Selectable<RecordSummariesTable>;

// Account security self-service (migration 005).

/** A single-use recovery code: only an Argon2id hash of it is stored (ASVS 6.5.2). */
export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  /** The code's first two characters, in clear: which hash to check a typed code against. */
  lookup: string;
  code_hash: string;
  created_at: number;
  used_at: number | null;
  /** When the user confirmed saving the set; null while they have not (all rows of a set agree). */
  confirmed_at: number | null;
}

/** Codes just generated, encrypted, for the session they were shown to until the user saved them. */
export interface RecoveryCodeRevealsTable {
  session_hash: string;
  user_id: string;
  key_id: string;
  codes_ciphertext: Buffer;
  created_at: number;
}

export interface SecurityKeysTable {
  id: string;
  user_id: string;
  credential_id: string;
  public_key: Buffer;
  sign_count: number;
  transports: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

export type WebauthnPurpose = 'register' | 'authenticate';

export interface WebauthnChallengesTable {
  session_hash: string;
  purpose: WebauthnPurpose;
  challenge: string;
  expires_at: number;
}

export type SecurityKey = Selectable<SecurityKeysTable>;

// Security review, round two (migration 007). Declared here, at the end, by interface merging.

/** A browser that completed a full sign-in of an account (OWASP device cookie): only the token's hash is stored. */
export interface KnownBrowsersTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: number;
  /** Renewed at each full sign-in in that browser. */
  expires_at: number;
  /** Consecutive wrong passwords from this browser: its own budget, apart from strangers'. */
  failures: ColumnType<number, number | undefined, number>;
  blocked_until: number | null;
  /** Password checks in the minute starting at checks_window. */
  checks_window: ColumnType<number, number | undefined, number>;
  checks: ColumnType<number, number | undefined, number>;
}

/** Password checks per client address (IPv6 grouped by /64) and minute, from browsers not known for the account. */
export interface AddressPasswordChecksTable {
  client_key: string;
  window_start: number;
  checks: number;
}

/** The gate of an account whose second factor support reset: it pairs again only through this link. */
export interface PairingLinksTable {
  user_id: string;
  /** Null until support issues a link (accounts reset before links existed). */
  token_hash: string | null;
  created_by: string | null;
  created_at: number;
  expires_at: number;
  /** The pending session that opened the link with the right password: the only one that may pair. */
  session_hash: string | null;
}

export interface SessionsTable {
  /** The known browser this sign-in started from: exempt from the per-address budget. */
  known_browser_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** A one-time message for the next page (JSON), e.g. the result of an import. */
  flash: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface Database {
  known_browsers: KnownBrowsersTable;
  address_password_checks: AddressPasswordChecksTable;
  pairing_links: PairingLinksTable;
}

export type KnownBrowser = Selectable<KnownBrowsersTable>;
export type PairingLink = Selectable<PairingLinksTable>;

// Operations (migration 008, issue #11).

/** Audit events about health data name the patient and the recording, so both are one indexed query. */
export interface AuditEventsTable {
  patient_id: ColumnType<string | null, string | null | undefined, string | null>;
  record_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export type RecoveryCodeReveal = Selectable<RecoveryCodeRevealsTable>;

// Clinical triage (migration 009): rules, daily metrics, flags and reviews, notes, tagged events.
// Declared as additions to the interfaces above (TypeScript merges them).

export interface PatientsTable {
  /** Archived: hidden from the worklist, data kept, reversible. */
  archived_at: ColumnType<number | null, number | null | undefined, number | null>;
  archived_by: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The clinic's own value of a rule's threshold (and minimum duration), set by an admin. */
export interface ClinicRuleSettingsTable {
  rule: string;
  threshold: number;
  duration_seconds: number | null;
  updated_by: string | null;
  updated_at: number;
}

/** One patient's own values; a null column means "the clinic's value". */
export interface PatientRuleSettingsTable {
  patient_id: string;
  rule: string;
  threshold: number | null;
  duration_seconds: number | null;
  updated_by: string | null;
  updated_at: number;
}

export interface DailyMetricsTable {
  patient_id: string;
  /** The clinic date, YYYY-MM-DD. */
  day: string;
  metric: string;
  value: number;
  /** The recording that covers most of the day, for links from the trends. */
  record_id: string | null;
}

/** Seconds with a heart-rate value per patient and clock hour: "wear time of the last 24 h". */
export interface HourlyWearTable {
  patient_id: string;
  hour_start: number;
  seconds: number;
}

export type ReviewScope = 'flag' | 'record' | 'patient';

export interface FlagReviewsTable {
  id: string;
  patient_id: string;
  reviewed_by: string | null;
  reviewed_at: number;
  scope: ReviewScope;
  comment: string | null;
}

export interface FlagsTable {
  id: string;
  patient_id: string;
  /** The recording its first second is in (null for rules on days without one, or once deleted). */
  record_id: string | null;
  rule: string;
  severity: 'high' | 'medium' | 'low';
  started_at: number;
  /** Exclusive; null while it still holds (no recent data). */
  ended_at: number | null;
  day: string | null;
  value_text: string;
  /** What tripped the rule, as JSON parameters (FlagValue); null for flags from before migration 012. */
  value_params: string | null;
  created_at: number;
  updated_at: number;
  review_id: string | null;
}

export interface NotesTable {
  id: string;
  patient_id: string;
  author_id: string | null;
  created_at: number;
  text: string;
  /** A correction points to the note it corrects; notes are never edited. */
  corrects_id: string | null;
}

export type TagKind = 'sleep' | 'rest' | 'exercise' | 'symptom' | 'other';

export interface RecordTagsTable {
  id: string;
  patient_id: string;
  record_id: string;
  kind: TagKind;
  started_at: number;
  ended_at: number;
  text: string;
  created_by: string | null;
  created_at: number;
}

/** A background re-evaluation of a patient's flags after a rule changed, a batch of days at a time. */
export interface RuleEvaluationsTable {
  id: string;
  patient_id: string;
  /** Comma-separated rule ids. */
  rules: string;
  from_day: string;
  to_day: string;
  /** The first day not yet re-evaluated. */
  next_day: string;
  requested_by: string | null;
  requested_at: number;
  lease_until: number | null;
  finished_at: number | null;
}

export interface Database {
  clinic_rule_settings: ClinicRuleSettingsTable;
  patient_rule_settings: PatientRuleSettingsTable;
  daily_metrics: DailyMetricsTable;
  hourly_wear: HourlyWearTable;
  flag_reviews: FlagReviewsTable;
  flags: FlagsTable;
  notes: NotesTable;
  record_tags: RecordTagsTable;
  rule_evaluations: RuleEvaluationsTable;
}

export type Flag = Selectable<FlagsTable>;
export type FlagReview = Selectable<FlagReviewsTable>;
export type Note = Selectable<NotesTable>;
export type RecordTag = Selectable<RecordTagsTable>;

// Mail (migration 010, issue #15).

export interface MailOutboxTable {
  id: string;
  /** Which message (mail/messages.ts). */
  kind: string;
  recipient: string;
  user_id: string | null;
  /** The key the payload is sealed under; null for a payload without a link (plain JSON). */
  key_id: string | null;
  /** The JSON parameters of the message; emptied once it is sent, or given up while it holds a link (a failed notice keeps it to be sent again). */
  payload: Buffer | null;
  /** When it was first written (shown on the console). */
  created_at: number;
  /** When support last sent it again, if ever: its 3 days before giving up, and its retention, run from the later of the two. */
  requeued_at: ColumnType<number | null, number | null | undefined, number | null>;
  next_attempt_at: number;
  attempts: ColumnType<number, number | undefined, number>;
  /** An instance sending it holds it until then. */
  lease_until: number | null;
  sent_at: number | null;
  failed_at: number | null;
  last_error: string | null;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  /** When the second factor was proven through this link: only then may it set a password. */
  factor_verified_at: number | null;
  /** SHA-256 of the cookie of the browser that proved it. */
  browser_hash: string | null;
  code_failures: ColumnType<number, number | undefined, number>;
  used_at: number | null;
  revoked_at: number | null;
  /** The administrator who sent it; null when the user asked for it. */
  requested_by: string | null;
}

export interface PasswordResetRequestsTable {
  key: string;
  at: number;
}

/** The WebAuthn challenge of a reset link's security-key step (migration 014): one per link. */
export interface ResetWebauthnChallengesTable {
  reset_hash: string;
  challenge: string;
  expires_at: number;
}

export interface Database {
  mail_outbox: MailOutboxTable;
  password_resets: PasswordResetsTable;
  password_reset_requests: PasswordResetRequestsTable;
  reset_webauthn_challenges: ResetWebauthnChallengesTable;
}

export type OutboxMessage = Selectable<MailOutboxTable>;
export type PasswordReset = Selectable<PasswordResetsTable>;
