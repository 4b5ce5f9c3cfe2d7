package io.meshwork.networking.multiformats;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Multibase text: one prefix character naming the base, then the data in that base (multibase
 * spec). Supported: {@code z} base58btc, {@code b}/{@code B} base32 (RFC 4648, no padding), {@code
 * f}/{@code F} base16, {@code m} base64, {@code M} base64 padded, {@code u} base64url, {@code U}
 * base64url padded. Stateless and thread-safe.
 */
public final class Multibase {
  private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

  private Multibase() {}

  /**
   * Decodes multibase text.
   *
   * @throws IllegalArgumentException if the prefix is unknown or the data is not valid in its base
   */
  public static byte[] decode(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty multibase text");
    }
    char base = text.charAt(0);
    String data = text.substring(1);
    try {
      return switch (base) {
        case 'z' -> Base58.decode(data);
        case 'b' -> decodeBase32(data, false);
        case 'B' -> decodeBase32(data, true);
        case 'f' -> decodeHex(data, false);
        case 'F' -> decodeHex(data, true);
        case 'm' -> Base64.getDecoder().decode(unpadded(data));
        case 'M' -> Base64.getDecoder().decode(data);
        case 'u' -> Base64.getUrlDecoder().decode(unpadded(data));
        case 'U' -> Base64.getUrlDecoder().decode(data);
        default ->
            throw new IllegalArgumentException("unsupported multibase prefix '" + base + "'");
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid multibase '" + base + "' text: " + e.getMessage());
    }
  }

  /** Encodes {@code data} in the base named by the multibase prefix {@code base}. */
  public static String encode(char base, byte[] data) {
    String body =
        switch (base) {
          case 'z' -> Base58.encode(data);
          case 'b' -> encodeBase32(data);
          case 'B' -> encodeBase32(data).toUpperCase(Locale.ROOT);
          case 'f' -> HexFormat.of().formatHex(data);
          case 'F' -> HexFormat.of().withUpperCase().formatHex(data);
          case 'm' -> Base64.getEncoder().withoutPadding().encodeToString(data);
          case 'M' -> Base64.getEncoder().encodeToString(data);
          case 'u' -> Base64.getUrlEncoder().withoutPadding().encodeToString(data);
          case 'U' -> Base64.getUrlEncoder().encodeToString(data);
          default ->
              throw new IllegalArgumentException("unsupported multibase prefix '" + base + "'");
        };
    return base + body;
  }

  // Unpadded bases must not carry padding; Java's decoders would otherwise accept it silently.
  private static String unpadded(String data) {
    if (data.indexOf('=') >= 0) {
      throw new IllegalArgumentException("padding in an unpadded base");
    }
    return data;
  }

  private static byte[] decodeHex(String data, boolean upper) {
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      boolean letter = upper ? (c >= 'A' && c <= 'F') : (c >= 'a' && c <= 'f');
      if (!letter && (c < '0' || c > '9')) {
        throw new IllegalArgumentException("invalid base16 character '" + c + "'");
      }
    }
    return HexFormat.of().parseHex(data);
  }

  private static String encodeBase32(byte[] data) {
    StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32.charAt((buffer >>> (bits - 5)) & 0x1F));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(BASE32.charAt((buffer << (5 - bits)) & 0x1F));
    }
    return out.toString();
  }

  private static byte[] decodeBase32(String data, boolean upper) {
    String alphabet = upper ? BASE32.toUpperCase(Locale.ROOT) : BASE32;
    int remainder = data.length() % 8;
    // RFC 4648: unpadded base32 ends in a group of 2, 4, 5 or 7 characters (or a full group).
    if (remainder == 1 || remainder == 3 || remainder == 6) {
      throw new IllegalArgumentException("impossible base32 length " + data.length());
    }
    byte[] out = new byte[data.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int index = 0;
    for (int i = 0; i < data.length(); i++) {
      int value = alphabet.indexOf(data.charAt(i));
      if (value < 0) {
        throw new IllegalArgumentException("invalid base32 character '" + data.charAt(i) + "'");
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        out[index++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    // Leftover bits must be zero, or two texts would decode to the same bytes.
    if ((buffer & ((1 << bits) - 1)) != 0) {
      throw new IllegalArgumentException("non-zero trailing bits in base32");
    }
    return out;
  }
}
