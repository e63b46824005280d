import type { PGlite, Transaction as PGliteTransaction } from "@electric-sql/pglite";
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely";

/**
 * Kysely dialect for PGlite (the embedded default and the tests' database).
 *
 * Kysely ships one from 0.29 on, but 0.29 requires Node 22; the portal runs on Node 20, so it pins
 * Kysely 0.28 and keeps this port of 0.29's dialect (MIT). PGlite has a single connection: a mutex
 * hands it to one query or one transaction at a time (0.29 does this in its runtime for adapters
 * without multiple connections; 0.28's drivers do it themselves, as its SQLite driver does).
 * A transaction runs inside PGlite's own exclusive `transaction()`, so nothing else can interleave.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly config: { pglite: PGlite }) {}
  createAdapter() {
    return new PGliteAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.config.pglite);
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}

class PGliteAdapter extends PostgresAdapter {
  // The migrator holds the only connection from lock to unlock: an advisory lock adds nothing.
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

class ConnectionMutex {
  #locked: Promise<void> | undefined;
  #unlock: (() => void) | undefined;
  async lock(): Promise<void> {
    while (this.#locked) await this.#locked;
    this.#locked = new Promise((resolve) => {
      this.#unlock = resolve;
    });
  }
  unlock(): void {
    const unlock = this.#unlock;
    this.#locked = undefined;
    this.#unlock = undefined;
    unlock?.();
  }
}

class PGliteDriver implements Driver {
  readonly #mutex = new ConnectionMutex();
  readonly #connection: PGliteConnection;
  constructor(private readonly pglite: PGlite) {
    this.#connection = new PGliteConnection(pglite);
  }
  async init(): Promise<void> {
    if (this.pglite.closed) throw new Error("L'instance PGlite est déjà fermée.");
    await this.pglite.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return this.#connection;
  }
  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }
  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    await (connection as PGliteConnection).begin();
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).commit();
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).rollback();
  }
  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint "${name.replace(/"/g, '""')}"`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint "${name.replace(/"/g, '""')}"`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint "${name.replace(/"/g, '""')}"`));
  }
  async destroy(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}

class PGliteConnection implements DatabaseConnection {
  #transaction: PGliteTransaction | undefined;
  #finish: { commit: () => void; rollback: (reason: unknown) => void } | undefined;
  #closed: Promise<unknown> | undefined;

  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { affectedRows, rows } = await (this.#transaction ?? this.pglite).query<R>(compiledQuery.sql, [...compiledQuery.parameters], {
      rowMode: "object",
    });
    return { numAffectedRows: affectedRows != null ? BigInt(affectedRows) : undefined, rows: rows ?? [] };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("PGlite ne sait pas lire une requête en flux.");
  }

  async begin(): Promise<void> {
    let began!: () => void;
    const begun = new Promise<void>((resolve) => (began = resolve));
    const finished = new Promise<void>((commit, rollback) => (this.#finish = { commit: () => commit(), rollback }));
    this.#closed = this.pglite.transaction(async (tx) => {
      this.#transaction = tx;
      began();
      await finished;
    });
    // A failure before the callback ran (BEGIN refused) surfaces here rather than hanging.
    await Promise.race([begun, this.#closed]);
  }

  async commit(): Promise<void> {
    this.#finish?.commit();
    try {
      await this.#closed;
    } finally {
      this.#reset();
    }
  }

  async rollback(): Promise<void> {
    this.#finish?.rollback(new Error("rollback"));
    await this.#closed?.catch(() => {});
    this.#reset();
  }

  #reset() {
    this.#transaction = undefined;
    this.#finish = undefined;
    this.#closed = undefined;
  }
}
