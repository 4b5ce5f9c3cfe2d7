package io.meshwork.networking.multiformats;

/** An unsigned varint was truncated, longer than {@link Varint#MAX_BYTES} or not minimal. */
public final class VarintException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public VarintException(String message) {
    super(message);
  }
}
