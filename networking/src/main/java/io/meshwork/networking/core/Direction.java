package io.meshwork.networking.core;

/** Who opened a connection or stream. */
public enum Direction {
  /** We dialed or opened it. */
  OUTBOUND,
  /** The remote peer dialed or opened it. */
  INBOUND;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
