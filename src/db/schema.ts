// Table types, shared by SQLite and PostgreSQL. Times are integers: milliseconds since the epoch,
// from the injected clock, never the database's own now().
import type { Insertable, Selectable } from 'kysely';

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

export interface Database {
  users: UsersTable;
  totp_credentials: TotpCredentialsTable;
  sessions: SessionsTable;
  remembered_devices: RememberedDevicesTable;
  setup_tokens: SetupTokensTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type TotpCredential = Selectable<TotpCredentialsTable>;
export type RememberedDevice = Selectable<RememberedDevicesTable>;
