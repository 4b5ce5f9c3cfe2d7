package io.meshwork.networking.multiformats;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.meshwork.networking.multiformats.MultiaddrProtocol.ValueKind;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;

/**
 * Converts multiaddr component values between text and bytes, strictly, so that a value has one
 * binary form and parsing never touches the network (IP literals are parsed here, not by {@link
 * java.net.InetAddress}).
 */
final class MultiaddrValues {
  /** Bound on a length-prefixed value: DNS names are ≤ 253 bytes, multihashes far smaller. */
  static final int MAX_VALUE_BYTES = 1024;

  private MultiaddrValues() {}

  static byte[] parse(MultiaddrProtocol protocol, String text) {
    if (text.length() > 2 * MAX_VALUE_BYTES) {
      throw new MultiaddrException("/" + protocol.protocolName() + " value text too long");
    }
    try {
      byte[] value =
          switch (protocol.kind()) {
            case NONE -> new byte[0];
            case IP4 -> parseIp4(text);
            case IP6 -> parseIp6(text);
            case PORT -> parsePort(text);
            case TEXT -> text.getBytes(UTF_8);
            case MULTIHASH -> parsePeer(text);
            case MULTIBASE_MULTIHASH -> Multibase.decode(text);
          };
      validate(protocol, value);
      return value;
    } catch (MultiaddrException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new MultiaddrException(
          "invalid /" + protocol.protocolName() + " value '" + text + "': " + e.getMessage(), e);
    }
  }

  /** Checks a binary value; throws MultiaddrException with the reason. */
  static void validate(MultiaddrProtocol protocol, byte[] value) {
    ValueKind kind = protocol.kind();
    if (kind.size >= 0 && value.length != kind.size) {
      throw new MultiaddrException(
          "/" + protocol.protocolName() + " value must be " + kind.size + " bytes");
    }
    if (kind.size < 0 && (value.length == 0 || value.length > MAX_VALUE_BYTES)) {
      throw new MultiaddrException(
          "/" + protocol.protocolName() + " value must be 1 to " + MAX_VALUE_BYTES + " bytes");
    }
    switch (kind) {
      case TEXT -> {
        String text = decodeUtf8(protocol, value);
        if (text.indexOf('/') >= 0) {
          throw new MultiaddrException("/" + protocol.protocolName() + " value contains '/'");
        }
      }
      case MULTIHASH, MULTIBASE_MULTIHASH -> {
        try {
          Multihash.decode(value);
        } catch (IllegalArgumentException e) {
          throw new MultiaddrException(
              "/" + protocol.protocolName() + " value is not a multihash: " + e.getMessage(), e);
        }
      }
      default -> {}
    }
  }

  static String render(MultiaddrProtocol protocol, byte[] value) {
    return switch (protocol.kind()) {
      case NONE -> "";
      case IP4 -> renderIp4(value, 0);
      case IP6 -> renderIp6(value);
      case PORT -> Integer.toString(((value[0] & 0xFF) << 8) | (value[1] & 0xFF));
      case TEXT -> new String(value, UTF_8);
      case MULTIHASH -> Base58.encode(value);
      case MULTIBASE_MULTIHASH -> Multibase.encode('u', value);
    };
  }

  private static String decodeUtf8(MultiaddrProtocol protocol, byte[] value) {
    try {
      return UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MultiaddrException("/" + protocol.protocolName() + " value is not UTF-8", e);
    }
  }

  /** /p2p text: a base58btc multihash, or a CIDv1 with the libp2p-key codec (peer-ids spec). */
  private static byte[] parsePeer(String text) {
    if (text.startsWith("1") || text.startsWith("Qm")) {
      return Base58.decode(text);
    }
    Cid cid = Cid.decode(text);
    if (cid.codec() != Cid.LIBP2P_KEY) {
      throw new IllegalArgumentException("CID codec is not libp2p-key");
    }
    return cid.multihash().toBytes();
  }

  private static byte[] parsePort(String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("port must be a decimal number");
    }
    int port = Integer.parseInt(text);
    if (port > 65535) {
      throw new IllegalArgumentException("port above 65535");
    }
    return new byte[] {(byte) (port >>> 8), (byte) port};
  }

  static byte[] parseIp4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("IPv4 address needs 4 dotted parts");
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      boolean digits = part.chars().allMatch(c -> c >= '0' && c <= '9');
      // Leading zeros are refused: some parsers read them as octal.
      if (part.isEmpty()
          || part.length() > 3
          || !digits
          || (part.length() > 1 && part.charAt(0) == '0')) {
        throw new IllegalArgumentException("bad IPv4 part '" + part + "'");
      }
      int value = Integer.parseInt(part);
      if (value > 255) {
        throw new IllegalArgumentException("IPv4 part above 255");
      }
      out[i] = (byte) value;
    }
    return out;
  }

  static byte[] parseIp6(String text) {
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      throw new IllegalArgumentException("more than one '::'");
    }
    String head = gap >= 0 ? text.substring(0, gap) : text;
    String tail = gap >= 0 ? text.substring(gap + 2) : "";
    int[] headGroups = groups(head, gap < 0);
    int[] tailGroups = groups(tail, true);
    int count = headGroups.length + tailGroups.length;
    if (gap < 0 ? count != 8 : count > 7) {
      throw new IllegalArgumentException("IPv6 address needs 8 groups");
    }
    byte[] out = new byte[16];
    for (int i = 0; i < headGroups.length; i++) {
      out[2 * i] = (byte) (headGroups[i] >>> 8);
      out[2 * i + 1] = (byte) headGroups[i];
    }
    int start = 8 - tailGroups.length;
    for (int i = 0; i < tailGroups.length; i++) {
      out[2 * (start + i)] = (byte) (tailGroups[i] >>> 8);
      out[2 * (start + i) + 1] = (byte) tailGroups[i];
    }
    return out;
  }

  private static int[] groups(String part, boolean mayEndInIp4) {
    if (part.isEmpty()) {
      return new int[0];
    }
    String[] texts = part.split(":", -1);
    boolean ip4 = mayEndInIp4 && texts[texts.length - 1].indexOf('.') >= 0;
    int[] out = new int[texts.length + (ip4 ? 1 : 0)];
    for (int i = 0; i < texts.length; i++) {
      String group = texts[i];
      if (ip4 && i == texts.length - 1) {
        byte[] v4 = parseIp4(group);
        out[i] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
        out[i + 1] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
        continue;
      }
      if (group.isEmpty()
          || group.length() > 4
          || !group.chars().allMatch(MultiaddrValues::isHex)) {
        throw new IllegalArgumentException("bad IPv6 group '" + group + "'");
      }
      out[i] = Integer.parseInt(group, 16);
    }
    return out;
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static String renderIp4(byte[] value, int offset) {
    return (value[offset] & 0xFF)
        + "."
        + (value[offset + 1] & 0xFF)
        + "."
        + (value[offset + 2] & 0xFF)
        + "."
        + (value[offset + 3] & 0xFF);
  }

  /** RFC 5952 text; IPv4-mapped addresses as ::ffff:a.b.c.d, as go-multiaddr writes them. */
  static String renderIp6(byte[] value) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((value[2 * i] & 0xFF) << 8) | (value[2 * i + 1] & 0xFF);
    }
    if (groups[0] == 0
        && groups[1] == 0
        && groups[2] == 0
        && groups[3] == 0
        && groups[4] == 0
        && groups[5] == 0xffff) {
      return "::ffff:" + renderIp4(value, 12);
    }
    // Longest run of two or more zero groups, the first one on ties (RFC 5952 section 4.2).
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder out = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }
}
