package io.meshwork.chain.model;

/** Bytes that are not the canonical encoding of the value being decoded. */
public final class MalformedEncodingException extends RuntimeException {
  public MalformedEncodingException(String message) {
    super(message);
  }
}
