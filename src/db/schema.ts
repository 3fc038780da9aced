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
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type TotpCredential = Selectable<TotpCredentialsTable>;
export type RememberedDevice = Selectable<RememberedDevicesTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
