package io.meshwork.networking.security.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Prints ChaCha20-Poly1305 throughput of {@link CipherState} for 64 KiB transport frames. A
 * measurement, not a timed assertion: it only asserts that every frame round-trips.
 */
class CipherStateThroughputTest {
  private static final int FRAME = 65519;
  private static final int FRAMES = 1024; // 64 MiB per buffer kind

  @Test
  void printsEncryptAndDecryptThroughputFor64KibFrames() throws Exception {
    for (boolean direct : new boolean[] {false, true}) {
      measure(direct);
    }
  }

  private static void measure(boolean direct) throws Exception {
    byte[] key = new byte[32];
    new Random(1).nextBytes(key);
    CipherState send = new CipherState();
    CipherState receive = new CipherState();
    send.initializeKey(key);
    receive.initializeKey(key);
    ByteBuffer plaintext = allocate(direct, FRAME);
    byte[] data = new byte[FRAME];
    new Random(2).nextBytes(data);
    plaintext.put(data).flip();
    ByteBuffer ciphertext = allocate(direct, FRAME + CipherState.TAG_LENGTH);
    ByteBuffer decrypted = allocate(direct, FRAME);

    long encryptNanos = 0;
    long decryptNanos = 0;
    for (int i = 0; i < FRAMES; i++) {
      plaintext.rewind();
      ciphertext.clear();
      long t0 = System.nanoTime();
      send.encrypt(plaintext, ciphertext);
      long t1 = System.nanoTime();
      ciphertext.flip();
      decrypted.clear();
      receive.decrypt(ciphertext, decrypted);
      long t2 = System.nanoTime();
      encryptNanos += t1 - t0;
      decryptNanos += t2 - t1;
    }
    decrypted.flip();
    byte[] roundTripped = new byte[FRAME];
    decrypted.get(roundTripped);
    assertThat(roundTripped).isEqualTo(data);

    double megabytes = (double) FRAME * FRAMES / (1024 * 1024);
    System.out.printf(
        "CipherState %s buffers, Java %s: encrypt %.0f MB/s, decrypt %.0f MB/s (64 KiB frames)%n",
        direct ? "direct" : "heap",
        Runtime.version(),
        megabytes / (encryptNanos / 1e9),
        megabytes / (decryptNanos / 1e9));
  }

  private static ByteBuffer allocate(boolean direct, int size) {
    return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
  }
}
