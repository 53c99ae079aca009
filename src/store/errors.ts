// Errors the store throws. They signal misuse or an unusable store, never an AWS
// condition: "the key is taken" and "the version changed" are ordinary `false` results.

export class StoreError extends Error {
  override name = 'StoreError';
}

/** A transaction was used wrongly: nested, used after it ended, or the store called from inside one. */
export class TransactionError extends StoreError {
  override name = 'TransactionError';
}

export class StoreClosedError extends StoreError {
  override name = 'StoreClosedError';
  constructor() {
    super('the store is closed');
  }
}

/** The store URL (--store) names no store Bulwark can open. */
export class StoreUrlError extends StoreError {
  override name = 'StoreUrlError';
}

/** The database was written by a newer Bulwark, with a schema this one does not know. */
export class SchemaVersionError extends StoreError {
  override name = 'SchemaVersionError';
}
