package io.meshwork.networking.core;

/**
 * Serves one protocol on streams the remote peer opens.
 *
 * <p>Called on the stream's event loop once multistream-select agreed on the protocol; must not
 * block. The handler owns the stream: it reads with {@link Stream#read(StreamReader)} and closes or
 * resets it when done.
 */
@FunctionalInterface
public interface StreamHandler {
  void handle(Stream stream);
}
