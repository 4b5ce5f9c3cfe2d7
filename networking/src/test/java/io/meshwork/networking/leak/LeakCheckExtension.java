package io.meshwork.networking.leak;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked buffer while it ran (or, since reports arrive
 * after garbage collection, while an earlier class ran).
 *
 * <p>Registered for every test through {@code META-INF/services} and {@code
 * junit.jupiter.extensions.autodetection.enabled}; the test JVMs run with {@code
 * -Dio.netty.leakDetection.level=paranoid}.
 */
public final class LeakCheckExtension implements AfterAllCallback {
  static {
    LeakRecorder.install();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<String> leaks = LeakRecorder.collectLeaks();
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          "Netty reported "
              + leaks.size()
              + " leaked buffer(s) during or before "
              + context.getDisplayName()
              + ":\n"
              + String.join("\n", leaks));
    }
  }
}
