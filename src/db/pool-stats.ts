// How busy the database connections are, for the metrics: PostgreSQL's pool counts its clients;
// SQLite has one connection that Kysely hands out under a mutex (a transaction holds it across
// awaits), so its numbers are that connection's: in use or idle, and how many queries wait for it.
import type { DatabaseConnection, Dialect, Driver } from 'kysely';

export interface PoolStats {
  /** Open connections. */
  size: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
  /** The most connections the pool opens. */
  max: number;
}

/** A dialect whose single connection is counted as it is taken and given back. */
export function countSingleConnection(dialect: Dialect): { dialect: Dialect; stats: () => PoolStats } {
  const usage = { inUse: 0, waiting: 0 };
  const counted: Dialect = {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => new CountingDriver(dialect.createDriver(), usage),
  };
  return { dialect: counted, stats: () => ({ size: 1, idle: 1 - usage.inUse, waiting: usage.waiting, max: 1 }) };
}

class CountingDriver implements Driver {
  constructor(private readonly inner: Driver, private readonly usage: { inUse: number; waiting: number }) {
    // Savepoints are optional in a driver: offer them only when the wrapped one has them.
    if (inner.savepoint) this.savepoint = inner.savepoint.bind(inner);
    if (inner.rollbackToSavepoint) this.rollbackToSavepoint = inner.rollbackToSavepoint.bind(inner);
    if (inner.releaseSavepoint) this.releaseSavepoint = inner.releaseSavepoint.bind(inner);
  }

  savepoint?: Driver['savepoint'];
  rollbackToSavepoint?: Driver['rollbackToSavepoint'];
  releaseSavepoint?: Driver['releaseSavepoint'];

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    this.usage.waiting += 1;
    try {
      const connection = await this.inner.acquireConnection();
      this.usage.inUse += 1;
      return connection;
    } finally {
      this.usage.waiting -= 1;
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.usage.inUse -= 1;
    await this.inner.releaseConnection(connection);
  }

  beginTransaction(...args: Parameters<Driver['beginTransaction']>): Promise<void> {
    return this.inner.beginTransaction(...args);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
