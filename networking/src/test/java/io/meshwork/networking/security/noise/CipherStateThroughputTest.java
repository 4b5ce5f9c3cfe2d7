package io.meshwork.networking.security.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Prints Noise transport throughput for 64 KiB frames: the bare cipher state, and the codec pair
 * with pooled direct buffers (as from a socket). A measurement, not a timed assertion: it asserts
 * only that the data round-trips. The codec figure runs under the test's paranoid leak detector.
 */
class CipherStateThroughputTest {
  private static final int FRAME = NoiseTransportCodec.MAX_PLAINTEXT_LENGTH;
  private static final int FRAMES = 1024; // 64 MiB
  private static final int WARMUP_FRAMES = 512; // not measured: lets the JIT compile the cipher

  @Test
  void printsCipherStateThroughputFor64KibFrames() throws Exception {
    CipherState[] pair = pair();
    byte[] plaintext = new byte[FRAME];
    new Random(2).nextBytes(plaintext);
    byte[] ciphertext = new byte[FRAME + CipherState.TAG_LENGTH];
    byte[] decrypted = new byte[FRAME];

    long encryptNanos = 0;
    long decryptNanos = 0;
    for (int i = -WARMUP_FRAMES; i < FRAMES; i++) {
      if (i == 0) {
        encryptNanos = 0;
        decryptNanos = 0;
      }
      long t0 = System.nanoTime();
      pair[0].encrypt(plaintext, 0, FRAME, ciphertext, 0);
      long t1 = System.nanoTime();
      pair[1].decrypt(ciphertext, 0, ciphertext.length, decrypted, 0);
      encryptNanos += t1 - t0;
      decryptNanos += System.nanoTime() - t1;
    }

    assertThat(decrypted).isEqualTo(plaintext);
    System.out.printf(
        "CipherState, Java %s: encrypt %.0f MB/s, decrypt %.0f MB/s (64 KiB frames)%n",
        Runtime.version(), megabytesPerSecond(encryptNanos), megabytesPerSecond(decryptNanos));
  }

  @Test
  void printsCodecThroughputWithDirectBuffers() throws Exception {
    CipherState[] pair = pair();
    EmbeddedChannel sender =
        new EmbeddedChannel(new NoiseTransportCodec(pair[0], new CipherState()));
    EmbeddedChannel receiver =
        new EmbeddedChannel(new NoiseTransportCodec(new CipherState(), pair[1]));
    byte[] data = new byte[FRAME];
    new Random(3).nextBytes(data);
    ByteBuf last = null;
    long nanos = 0;
    try {
      for (int i = -WARMUP_FRAMES; i < FRAMES; i++) {
        if (i == 0) {
          nanos = 0;
        }
        ByteBuf plaintext = PooledByteBufAllocator.DEFAULT.directBuffer(FRAME).writeBytes(data);
        long t0 = System.nanoTime();
        sender.writeOutbound(plaintext);
        receiver.writeInbound((ByteBuf) sender.readOutbound());
        ByteBuf received = receiver.readInbound();
        nanos += System.nanoTime() - t0;
        if (last != null) {
          last.release();
        }
        last = received;
      }
      assertThat(ByteBufUtil.getBytes(last)).isEqualTo(data);
    } finally {
      if (last != null) {
        last.release();
      }
      sender.finishAndReleaseAll();
      receiver.finishAndReleaseAll();
    }
    System.out.printf(
        "NoiseTransportCodec encrypt+decrypt, Java %s: %.0f MB/s (64 KiB frames, direct input)%n",
        Runtime.version(), megabytesPerSecond(nanos));
  }

  private static CipherState[] pair() {
    byte[] key = new byte[32];
    new Random(1).nextBytes(key);
    CipherState send = new CipherState();
    CipherState receive = new CipherState();
    send.initializeKey(key);
    receive.initializeKey(key);
    return new CipherState[] {send, receive};
  }

  private static double megabytesPerSecond(long nanos) {
    return (double) FRAME * FRAMES / 1e6 / (nanos / 1e9);
  }
}
