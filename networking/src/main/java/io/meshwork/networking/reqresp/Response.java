package io.meshwork.networking.reqresp;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a {@link RequestHandler} answers: a code and its payload, which for {@link ResponseCode#OK}
 * is the response body and otherwise a UTF-8 reason of at most {@link #MAX_REASON_BYTES} bytes. The
 * array is not copied: do not modify it after handing it over.
 */
public record Response(ResponseCode code, byte[] payload) {
  /** The longest reason an error response carries (reqresp.md, "Response codes"). */
  public static final int MAX_REASON_BYTES = 256;

  public Response {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(payload, "payload");
    if (code != ResponseCode.OK && payload.length > MAX_REASON_BYTES) {
      throw new IllegalArgumentException(
          "an error reason is at most " + MAX_REASON_BYTES + " bytes, got " + payload.length);
    }
  }

  public static Response ok(byte[] payload) {
    return new Response(ResponseCode.OK, payload);
  }

  /** An error response; {@code reason} is cut to 256 UTF-8 bytes at a character boundary. */
  public static Response error(ResponseCode code, String reason) {
    if (code == ResponseCode.OK) {
      throw new IllegalArgumentException("an error response needs a code other than OK");
    }
    return new Response(code, truncatedUtf8(reason, MAX_REASON_BYTES));
  }

  /** The reason of an error response, decoded (malformed UTF-8 replaced). */
  public String reason() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  static byte[] truncatedUtf8(String text, int maxBytes) {
    CharsetEncoder encoder =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    ByteBuffer out = ByteBuffer.allocate(maxBytes);
    // The encoder stops before a character that does not fit whole, so no code point is split.
    encoder.encode(CharBuffer.wrap(Objects.requireNonNull(text, "reason")), out, true);
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Response other
        && code == other.code
        && java.util.Arrays.equals(payload, other.payload);
  }

  @Override
  public int hashCode() {
    return 31 * code.hashCode() + java.util.Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return code == ResponseCode.OK
        ? "Response[OK, " + payload.length + " bytes]"
        : "Response[" + code + ", " + reason() + "]";
  }
}
