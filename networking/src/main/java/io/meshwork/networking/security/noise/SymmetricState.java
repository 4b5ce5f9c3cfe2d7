package io.meshwork.networking.security.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise {@code SymmetricState} (§5.2) with SHA-256 (§12.5): the chaining key {@code ck}, the
 * handshake hash {@code h} and the handshake's {@link CipherState}. Not thread-safe.
 */
final class SymmetricState {
  static final int HASH_LENGTH = 32;

  private final MessageDigest sha256;
  private final Mac hmac;
  private final CipherState cipherState = new CipherState();
  private byte[] chainingKey;
  private byte[] handshakeHash;

  /** Noise {@code InitializeSymmetric(protocol_name)}. */
  SymmetricState(String protocolName) {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
      hmac = Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256 or HmacSHA256", e);
    }
    byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
    // §5.2: a name no longer than HASHLEN is zero-padded, a longer one hashed.
    handshakeHash = name.length <= HASH_LENGTH ? Arrays.copyOf(name, HASH_LENGTH) : hash(name);
    chainingKey = handshakeHash.clone();
  }

  /** Noise {@code MixKey(input_key_material)}. */
  void mixKey(byte[] inputKeyMaterial) {
    byte[][] outputs = hkdf(chainingKey, inputKeyMaterial, 2);
    chainingKey = outputs[0];
    // HASHLEN is 32, the ChaChaPoly key length, so no truncation is needed.
    cipherState.initializeKey(outputs[1]);
  }

  /** Noise {@code MixHash(data)}: h = HASH(h || data). */
  void mixHash(byte[] data) {
    sha256.update(handshakeHash);
    sha256.update(data);
    handshakeHash = sha256.digest();
  }

  /** Noise {@code EncryptAndHash(plaintext)}. */
  byte[] encryptAndHash(byte[] plaintext) {
    byte[] ciphertext = cipherState.encryptWithAd(handshakeHash, plaintext);
    mixHash(ciphertext);
    return ciphertext;
  }

  /** Noise {@code DecryptAndHash(ciphertext)}. */
  byte[] decryptAndHash(byte[] ciphertext) throws AEADBadTagException {
    byte[] plaintext = cipherState.decryptWithAd(handshakeHash, ciphertext);
    mixHash(ciphertext);
    return plaintext;
  }

  boolean hasKey() {
    return cipherState.hasKey();
  }

  /** The handshake hash h (a copy), usable as a channel binding once the handshake is done. */
  byte[] handshakeHash() {
    return handshakeHash.clone();
  }

  /**
   * Noise {@code Split()}: the transport cipher states, the first for initiator-to-responder
   * traffic and the second for responder-to-initiator traffic.
   */
  CipherState[] split() {
    byte[][] keys = hkdf(chainingKey, new byte[0], 2);
    CipherState first = new CipherState();
    first.initializeKey(keys[0]);
    CipherState second = new CipherState();
    second.initializeKey(keys[1]);
    Arrays.fill(chainingKey, (byte) 0);
    return new CipherState[] {first, second};
  }

  private byte[] hash(byte[] data) {
    return sha256.digest(data);
  }

  /**
   * Noise {@code HKDF(chaining_key, input_key_material, num_outputs)} (§4.3): HMAC-SHA256 based,
   * output i = HMAC(temp_key, output(i-1) || byte(i)).
   */
  private byte[][] hkdf(byte[] key, byte[] inputKeyMaterial, int outputs) {
    try {
      byte[] tempKey = hmac(key, inputKeyMaterial);
      byte[][] out = new byte[outputs][];
      byte[] previous = new byte[0];
      for (int i = 0; i < outputs; i++) {
        hmac.init(new SecretKeySpec(tempKey, "HmacSHA256"));
        hmac.update(previous);
        hmac.update((byte) (i + 1));
        out[i] = hmac.doFinal();
        previous = out[i];
      }
      Arrays.fill(tempKey, (byte) 0);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 failed", e);
    }
  }

  private byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
    hmac.init(new SecretKeySpec(key, "HmacSHA256"));
    return hmac.doFinal(data);
  }
}
