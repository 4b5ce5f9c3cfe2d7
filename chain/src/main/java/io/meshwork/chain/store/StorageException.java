package io.meshwork.chain.store;

/** The underlying database failed; the chain cannot continue safely and should be reopened. */
public final class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageException(String message) {
    super(message);
  }
}
