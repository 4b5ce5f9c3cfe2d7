package io.meshwork.networking.reqresp;

import java.util.Optional;

/** The first byte of a response (docs/protocols/reqresp.md, "Response codes"). */
public enum ResponseCode {
  OK,
  INVALID_REQUEST,
  SERVER_ERROR,
  RESOURCE_UNAVAILABLE,
  RATE_LIMITED;

  private static final ResponseCode[] VALUES = values();

  /** The byte on the wire: the ordinal, fixed by the spec. */
  public int wire() {
    return ordinal();
  }

  /** The code for a received byte (0-255), or empty for a code the spec does not define. */
  public static Optional<ResponseCode> fromWire(int b) {
    return b >= 0 && b < VALUES.length ? Optional.of(VALUES[b]) : Optional.empty();
  }
}
