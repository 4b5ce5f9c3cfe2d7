package io.meshwork.networking.multiformats;

import java.util.Arrays;

/**
 * Base58 with the Bitcoin alphabet ("base58btc"), the text form of peer ids. Leading zero bytes map
 * to leading '1' characters. Stateless and thread-safe.
 */
public final class Base58 {
  private static final char[] ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
  private static final int[] INDEXES = new int[128];

  static {
    Arrays.fill(INDEXES, -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      INDEXES[ALPHABET[i]] = i;
    }
  }

  private Base58() {}

  /** Encodes {@code data} as base58btc. */
  public static String encode(byte[] data) {
    int zeros = 0;
    while (zeros < data.length && data[zeros] == 0) {
      zeros++;
    }
    // log(256) / log(58) < 1.38: upper bound on the number of digits.
    byte[] digits = new byte[(data.length - zeros) * 138 / 100 + 1];
    int length = 0;
    for (int i = zeros; i < data.length; i++) {
      int carry = data[i] & 0xFF;
      int j = 0;
      for (; j < length || carry != 0; j++) {
        carry += 256 * (digits[j] & 0xFF);
        digits[j] = (byte) (carry % 58);
        carry /= 58;
      }
      length = j;
    }
    StringBuilder text = new StringBuilder(zeros + length);
    for (int i = 0; i < zeros; i++) {
      text.append('1');
    }
    for (int i = length - 1; i >= 0; i--) {
      text.append(ALPHABET[digits[i]]);
    }
    return text.toString();
  }

  /**
   * Decodes base58btc text.
   *
   * @throws IllegalArgumentException if {@code text} contains a character outside the alphabet
   */
  public static byte[] decode(String text) {
    int zeros = 0;
    while (zeros < text.length() && text.charAt(zeros) == '1') {
      zeros++;
    }
    // log(58) / log(256) < 0.733: upper bound on the number of bytes.
    byte[] bytes = new byte[(text.length() - zeros) * 733 / 1000 + 1];
    int length = 0;
    for (int i = zeros; i < text.length(); i++) {
      char c = text.charAt(i);
      int digit = c < 128 ? INDEXES[c] : -1;
      if (digit < 0) {
        throw new IllegalArgumentException("invalid base58 character '" + c + "' at " + i);
      }
      int carry = digit;
      int j = 0;
      for (; j < length || carry != 0; j++) {
        carry += 58 * (bytes[j] & 0xFF);
        bytes[j] = (byte) carry;
        carry >>>= 8;
      }
      length = j;
    }
    byte[] out = new byte[zeros + length];
    for (int i = 0; i < length; i++) {
      out[zeros + i] = bytes[length - 1 - i];
    }
    return out;
  }
}
