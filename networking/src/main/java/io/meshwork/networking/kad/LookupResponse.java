package io.meshwork.networking.kad;

import java.util.List;
import java.util.Optional;

/**
 * What one peer answered to a lookup request, already decoded and bounded by the codec.
 *
 * @param closerPeers peers closer to the key that the responder knows
 * @param value the record value (GET_VALUE), if it had one for the key
 * @param providers providers of the key (GET_PROVIDERS)
 */
public record LookupResponse(
    List<KadPeer> closerPeers, Optional<byte[]> value, List<KadPeer> providers) {
  public LookupResponse {
    closerPeers = List.copyOf(closerPeers);
    providers = List.copyOf(providers);
  }

  public static LookupResponse closer(List<KadPeer> closerPeers) {
    return new LookupResponse(closerPeers, Optional.empty(), List.of());
  }
}
