package io.meshwork.networking.kad;

/** A DHT record failed validation; the message says why. */
public final class InvalidRecordException extends IllegalArgumentException {
  public InvalidRecordException(String reason) {
    super(reason);
  }

  public InvalidRecordException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
