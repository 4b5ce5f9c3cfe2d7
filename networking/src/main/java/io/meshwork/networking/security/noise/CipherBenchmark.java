package io.meshwork.networking.security.noise;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Random;
import javax.crypto.AEADBadTagException;

/**
 * Measures the single-core crypto bound of the Noise transport on the running JDK: how fast one
 * thread seals and opens full transport frames ({@value NoiseTransportCodec#MAX_PLAINTEXT_LENGTH}
 * plaintext bytes, the largest a u16-framed Noise message carries) with {@link CipherState}, on
 * byte arrays as {@link NoiseTransportCodec} hands them to the cipher.
 *
 * <p>Run: {@code java -cp meshwork.jar io.meshwork.networking.security.noise.CipherBenchmark
 * [MEGABYTES]} (default 256 MB timed, after a quarter of that as JIT warm-up). Prints one JSON line
 * {@code
 * {"jdk","vendor","frameBytes","megabytes","sealMBps","openMBps","boundMBps","sameCoreMBps"}} with
 * MB = 10^6 bytes, where
 *
 * <ul>
 *   <li>{@code boundMBps} = min(seal, open): the ceiling of a one-way transfer when the sender
 *       seals on one core and the receiver opens on another (two processes on loopback);
 *   <li>{@code sameCoreMBps} = 1 / (1/seal + 1/open): the ceiling if one core has to do both.
 * </ul>
 *
 * <p>A diagnostic entry point (used by {@code bench/perf.sh}); it touches no network and keeps no
 * state, so shipping it in the production jar is harmless. Single-threaded.
 */
public final class CipherBenchmark {
  private static final int FRAME = NoiseTransportCodec.MAX_PLAINTEXT_LENGTH;

  private CipherBenchmark() {}

  /** Seal and open rates in MB (10^6 bytes) per second. */
  record Rates(double sealMBps, double openMBps) {
    double boundMBps() {
      return Math.min(sealMBps, openMBps);
    }

    double sameCoreMBps() {
      return 1 / (1 / sealMBps + 1 / openMBps);
    }
  }

  public static void main(String[] args) throws AEADBadTagException {
    long megabytes = args.length > 0 ? Long.parseLong(args[0]) : 256;
    if (megabytes <= 0) {
      throw new IllegalArgumentException("MEGABYTES must be positive");
    }
    int frames = (int) Math.max(1, megabytes * 1_000_000 / FRAME);
    measure(Math.max(1, frames / 4)); // warm-up: let C2 compile the cipher paths
    Rates[] rates = measure(frames);
    Rates wall = rates[0];
    Rates cpu = rates[1];
    System.out.printf(
        Locale.ROOT,
        "{\"jdk\": \"%s\", \"vendor\": \"%s\", \"frameBytes\": %d, \"megabytes\": %d,"
            + " \"sealMBps\": %.1f, \"openMBps\": %.1f, \"boundMBps\": %.1f,"
            + " \"sameCoreMBps\": %.1f, \"cpuSealMBps\": %.1f, \"cpuOpenMBps\": %.1f,"
            + " \"cpuBoundMBps\": %.1f}%n",
        Runtime.version(),
        System.getProperty("java.vendor", "?").replace("\"", "'"),
        FRAME,
        megabytes,
        wall.sealMBps(),
        wall.openMBps(),
        wall.boundMBps(),
        wall.sameCoreMBps(),
        cpu.sealMBps(),
        cpu.openMBps(),
        cpu.boundMBps());
  }

  /**
   * Seals and opens {@code frames} full frames, timing the two halves separately; returns the rates
   * by wall time and by this thread's CPU time (the latter equal to the former where the JVM cannot
   * measure thread CPU time).
   */
  static Rates[] measure(int frames) throws AEADBadTagException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean cpuTime = threads.isCurrentThreadCpuTimeSupported();
    byte[] key = new byte[CipherState.KEY_LENGTH];
    Random random = new Random(1);
    random.nextBytes(key);
    CipherState sealer = new CipherState();
    CipherState opener = new CipherState();
    sealer.initializeKey(key);
    opener.initializeKey(key);

    byte[] data = new byte[FRAME];
    random.nextBytes(data);
    // Arrays, as the transport codec uses: the JDK cipher is fastest on them.
    byte[] ciphertext = new byte[FRAME + CipherState.TAG_LENGTH];
    byte[] opened = new byte[FRAME];

    long sealNanos = 0;
    long openNanos = 0;
    long sealCpuNanos = 0;
    long openCpuNanos = 0;
    for (int i = 0; i < frames; i++) {
      long c0 = cpuTime ? threads.getCurrentThreadCpuTime() : 0;
      long t0 = System.nanoTime();
      sealer.encrypt(data, 0, FRAME, ciphertext, 0);
      long t1 = System.nanoTime();
      long c1 = cpuTime ? threads.getCurrentThreadCpuTime() : 0;
      long t2 = System.nanoTime();
      opener.decrypt(ciphertext, 0, ciphertext.length, opened, 0);
      long t3 = System.nanoTime();
      long c2 = cpuTime ? threads.getCurrentThreadCpuTime() : 0;
      sealNanos += t1 - t0;
      openNanos += t3 - t2;
      sealCpuNanos += c1 - c0;
      openCpuNanos += c2 - c1;
    }
    // Check the last frame round-tripped, so a broken cipher cannot report a fine rate.
    if (!java.util.Arrays.equals(opened, data)) {
      throw new IllegalStateException("ChaCha20-Poly1305 round trip returned different bytes");
    }
    double bytes = (double) FRAME * frames;
    // MB/s = (bytes / 10^6) / (nanos / 10^9)
    Rates wall = new Rates(bytes * 1e3 / sealNanos, bytes * 1e3 / openNanos);
    Rates cpu = cpuTime ? new Rates(bytes * 1e3 / sealCpuNanos, bytes * 1e3 / openCpuNanos) : wall;
    return new Rates[] {wall, cpu};
  }
}
