package io.meshwork.networking.mux.yamux;

import java.util.Optional;

/** The four Yamux message types (spec "Type Field"). */
public enum YamuxFrameType {
  /** Stream data; the header length is the payload length. */
  DATA(0),
  /** Credit for the receiver's window; the header length is the delta. */
  WINDOW_UPDATE(1),
  /** Liveness / RTT probe on stream 0; the header length is an opaque value echoed back. */
  PING(2),
  /** Session termination on stream 0; the header length is an error code. */
  GO_AWAY(3);

  private final int code;

  YamuxFrameType(int code) {
    this.code = code;
  }

  /** The wire code of this type. */
  public int code() {
    return code;
  }

  /** The type for a wire code, empty if the code is unknown. */
  public static Optional<YamuxFrameType> fromCode(int code) {
    return switch (code) {
      case 0 -> Optional.of(DATA);
      case 1 -> Optional.of(WINDOW_UPDATE);
      case 2 -> Optional.of(PING);
      case 3 -> Optional.of(GO_AWAY);
      default -> Optional.empty();
    };
  }
}
