package io.meshwork.networking.interop;

/**
 * The js peer failed: a command answered {@code ok:false}, did not answer in time, or the process
 * would not start or died. The message carries the reason and the tail of the peer's log.
 */
public final class JsPeerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JsPeerException(String message) {
    super(message);
  }

  public JsPeerException(String message, Throwable cause) {
    super(message, cause);
  }
}
