package io.meshwork.networking.multistream;

import io.meshwork.networking.multiformats.Varint;
import io.meshwork.networking.multiformats.VarintException;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * One multistream-select message: a protocol id (which starts with {@code /}) or one of the
 * reserved words {@code na} and {@code ls}.
 *
 * <p>Wire form (libp2p/specs connections/README.md, "multistream-select"): {@code uvarint(len) ‖
 * UTF-8 text ‖ '\n'}, where {@code len} counts the newline. Like go-multistream we refuse a length
 * above {@value #MAX_LENGTH} bytes; like rust-libp2p we refuse protocol ids that do not start with
 * {@code /}. A text may not contain a newline of its own.
 *
 * <p>Stateless and thread-safe. {@link #encode} writes into a buffer the caller owns; {@link
 * #decode} reads from a buffer the caller owns and never retains or releases it.
 */
public record MultistreamMessage(String text) {
  /** The protocol id of multistream-select 1.0, also its header message. */
  public static final String PROTOCOL_ID = "/multistream/1.0.0";

  /** Largest accepted {@code len}, newline included, in bytes (go-multistream's limit). */
  public static final int MAX_LENGTH = 1024;

  /** The header both sides send first. */
  public static final MultistreamMessage HEADER = new MultistreamMessage(PROTOCOL_ID);

  /** "Not available": the listener's refusal of a proposal. */
  public static final MultistreamMessage NA = new MultistreamMessage("na");

  /** A request for the listener's protocols (answered with {@link #NA} by us). */
  public static final MultistreamMessage LS = new MultistreamMessage("ls");

  private static final byte NEWLINE = '\n';

  /**
   * @throws IllegalArgumentException if {@code text} is neither {@code na}, {@code ls} nor a
   *     protocol id starting with {@code /}, contains a newline, or encodes to more than {@value
   *     #MAX_LENGTH} bytes with its newline
   */
  public MultistreamMessage {
    Objects.requireNonNull(text, "text");
    Optional<String> problem = problemWith(text);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
  }

  /** A message carrying a protocol id. */
  public static MultistreamMessage protocol(String protocolId) {
    return new MultistreamMessage(protocolId);
  }

  /** Whether {@code text} may be proposed as a protocol id (not a reserved word, well-formed). */
  public static boolean isValidProtocolId(String text) {
    return text.startsWith("/") && problemWith(text).isEmpty();
  }

  public boolean isHeader() {
    return text.equals(PROTOCOL_ID);
  }

  public boolean isNa() {
    return text.equals("na");
  }

  public boolean isLs() {
    return text.equals("ls");
  }

  /** Number of bytes {@link #encode} writes. */
  public int encodedLength() {
    int len = utf8Length(text) + 1;
    return Varint.size(len) + len;
  }

  /** Appends the wire form of this message to {@code out}; the caller keeps ownership. */
  public void encode(ByteBuf out) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    Varint.write(utf8.length + 1L, out);
    out.writeBytes(utf8);
    out.writeByte(NEWLINE);
  }

  /**
   * Reads one message from {@code in}.
   *
   * <p>Returns empty, leaving the reader index untouched, while {@code in} does not yet hold a
   * whole message. A message announcing more than {@value #MAX_LENGTH} bytes is refused as soon as
   * its length prefix is read, so at most {@value #MAX_LENGTH} bytes plus a two-byte prefix ever
   * need buffering. On success the reader index moves past the message.
   *
   * @throws MultistreamProtocolException (reason {@code MALFORMED_MESSAGE}) for a bad varint, a
   *     length of zero or above the limit, a missing trailing newline, invalid UTF-8 or a text that
   *     is not a valid message
   */
  public static Optional<MultistreamMessage> decode(ByteBuf in)
      throws MultistreamProtocolException {
    int start = in.readerIndex();
    long length;
    try {
      length = Varint.read(in);
    } catch (VarintException e) {
      throw new MultistreamProtocolException(
          MultistreamException.Reason.MALFORMED_MESSAGE, "bad length prefix: " + e.getMessage(), e);
    }
    if (length < 0) {
      return Optional.empty();
    }
    if (length == 0) {
      throw MultistreamProtocolException.malformed("empty message (length 0, no newline)");
    }
    if (length > MAX_LENGTH) {
      throw MultistreamProtocolException.malformed(
          "message of " + length + " bytes exceeds the limit of " + MAX_LENGTH);
    }
    int len = (int) length;
    if (in.readableBytes() < len) {
      in.readerIndex(start);
      return Optional.empty();
    }
    int body = in.readerIndex();
    if (in.getByte(body + len - 1) != NEWLINE) {
      throw MultistreamProtocolException.malformed("message does not end with a newline");
    }
    String text = decodeUtf8(in.nioBuffer(body, len - 1));
    Optional<String> problem = problemWith(text);
    if (problem.isPresent()) {
      throw MultistreamProtocolException.malformed(problem.get());
    }
    in.skipBytes(len);
    return Optional.of(new MultistreamMessage(text));
  }

  @Override
  public String toString() {
    return text;
  }

  private static String decodeUtf8(ByteBuffer bytes) throws MultistreamProtocolException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw new MultistreamProtocolException(
          MultistreamException.Reason.MALFORMED_MESSAGE, "message is not valid UTF-8", e);
    }
  }

  private static Optional<String> problemWith(String text) {
    if (!text.equals("na") && !text.equals("ls") && !text.startsWith("/")) {
      return Optional.of("not a protocol id (must start with '/') nor na/ls: " + abbreviate(text));
    }
    if (text.indexOf('\n') >= 0) {
      return Optional.of("message text contains a newline: " + abbreviate(text));
    }
    int len = utf8Length(text);
    if (len < 0) {
      return Optional.of("message text is not valid UTF-16 (lone surrogate)");
    }
    if (len + 1 > MAX_LENGTH) {
      return Optional.of("message of " + (len + 1) + " bytes exceeds the limit of " + MAX_LENGTH);
    }
    return Optional.empty();
  }

  /** UTF-8 length of {@code text}, or -1 if it holds a lone surrogate. */
  private static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return -1;
        }
        bytes += 4;
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return -1;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static String abbreviate(String text) {
    return text.length() <= 64 ? '"' + text + '"' : '"' + text.substring(0, 64) + "…\"";
  }
}
