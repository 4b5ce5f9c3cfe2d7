package io.meshwork.networking.security.noise;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise {@code CipherState} (§5.1) with the ChaChaPoly cipher functions (§12.3): a key {@code k}
 * (possibly empty) and a 64-bit nonce {@code n}, on the JDK's {@code ChaCha20-Poly1305} cipher.
 *
 * <p>This is the transport hot path, so one {@link Cipher} instance and one nonce buffer live as
 * long as the state. The JDK cipher must be re-initialised for every message because the nonce
 * changes (it refuses an encryption re-init with a repeated key and nonce, which can never happen
 * here since {@code n} only grows). Not thread-safe: one state per direction, used from one thread.
 */
final class CipherState {
  static final int KEY_LENGTH = 32;
  static final int TAG_LENGTH = 16;

  /** Noise §5.1: the nonce 2^64-1 is reserved; reaching it means the channel must be rekeyed. */
  private static final long RESERVED_NONCE = -1L;

  private final Cipher cipher;
  private final byte[] iv = new byte[12];
  private SecretKeySpec key; // null while k is empty
  private long nonce; // unsigned 64-bit

  CipherState() {
    try {
      cipher = Cipher.getInstance("ChaCha20-Poly1305");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no ChaCha20-Poly1305 cipher", e);
    }
  }

  /** Noise {@code InitializeKey(key)}: sets k and resets n to 0. */
  void initializeKey(byte[] newKey) {
    if (newKey.length != KEY_LENGTH) {
      throw new IllegalArgumentException("a ChaChaPoly key has 32 bytes");
    }
    key = new SecretKeySpec(newKey, "ChaCha20");
    nonce = 0;
  }

  /** Noise {@code HasKey()}. */
  boolean hasKey() {
    return key != null;
  }

  /** The next nonce to use (for tests and diagnostics). */
  long nonce() {
    return nonce;
  }

  /** Noise {@code EncryptWithAd(ad, plaintext)}; returns the plaintext itself while k is empty. */
  byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
    if (!hasKey()) {
      return plaintext;
    }
    try {
      init(Cipher.ENCRYPT_MODE);
      cipher.updateAAD(ad);
      byte[] ciphertext = cipher.doFinal(plaintext);
      nonce++;
      return ciphertext;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
  }

  /**
   * Noise {@code DecryptWithAd(ad, ciphertext)}; returns the ciphertext itself while k is empty.
   *
   * @throws AEADBadTagException if the ciphertext does not authenticate; n is then unchanged
   */
  byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws AEADBadTagException {
    if (!hasKey()) {
      return ciphertext;
    }
    if (ciphertext.length < TAG_LENGTH) {
      throw new AEADBadTagException("ciphertext shorter than the authentication tag");
    }
    try {
      init(Cipher.DECRYPT_MODE);
      cipher.updateAAD(ad);
      byte[] plaintext = cipher.doFinal(ciphertext);
      nonce++;
      return plaintext;
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 decryption failed", e);
    }
  }

  /**
   * Transport encryption with an empty associated data: reads all of {@code plaintext} and writes
   * {@code plaintext.remaining() + 16} bytes into {@code out}.
   *
   * @return the number of bytes written
   */
  int encrypt(ByteBuffer plaintext, ByteBuffer out) {
    requireKey();
    try {
      init(Cipher.ENCRYPT_MODE);
      int written = cipher.doFinal(plaintext, out);
      nonce++;
      return written;
    } catch (ShortBufferException e) {
      throw new IllegalArgumentException("output buffer too small for the ciphertext", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
  }

  /**
   * Transport decryption with an empty associated data: reads all of {@code ciphertext} and writes
   * {@code ciphertext.remaining() - 16} bytes into {@code out}.
   *
   * @return the number of bytes written
   * @throws AEADBadTagException if the ciphertext does not authenticate; n is then unchanged
   */
  int decrypt(ByteBuffer ciphertext, ByteBuffer out) throws AEADBadTagException {
    requireKey();
    if (ciphertext.remaining() < TAG_LENGTH) {
      throw new AEADBadTagException("ciphertext shorter than the authentication tag");
    }
    try {
      init(Cipher.DECRYPT_MODE);
      int written = cipher.doFinal(ciphertext, out);
      nonce++;
      return written;
    } catch (AEADBadTagException e) {
      throw e;
    } catch (ShortBufferException e) {
      throw new IllegalArgumentException("output buffer too small for the plaintext", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 decryption failed", e);
    }
  }

  private void requireKey() {
    if (!hasKey()) {
      throw new IllegalStateException("transport cipher state has no key");
    }
  }

  /** Noise §12.3: the 96-bit nonce is 32 zero bits followed by n as a little-endian uint64. */
  private void init(int mode) throws GeneralSecurityException {
    if (nonce == RESERVED_NONCE) {
      throw new IllegalStateException("nonce space exhausted (Noise §5.1): close the connection");
    }
    long n = nonce;
    for (int i = 4; i < 12; i++) {
      iv[i] = (byte) n;
      n >>>= 8;
    }
    cipher.init(mode, key, new IvParameterSpec(iv));
  }
}
