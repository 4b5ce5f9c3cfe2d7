package io.meshwork.networking.kad;

import io.meshwork.networking.crypto.PeerId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provider records (kad-dht spec, "Content routing"): which peers said ADD_PROVIDER for a key. Each
 * expires {@link KadConfig#providerTtl()} after it was last added (48 h, as go; providers republish
 * every 22 h). At most {@link KadConfig#maxProviderKeys()} keys and {@link
 * KadConfig#maxProvidersPerKey()} providers per key; a full key drops its stalest provider.
 *
 * <p>Not thread-safe: owned by the DHT's thread. Times are monotonic nanoseconds.
 */
public final class ProviderStore {
  private record Provider(KadPeer peer, long expiresAtNanos) {}

  private final KadConfig config;
  private final Map<ByteBuffer, LinkedHashMap<PeerId, Provider>> byKey = new HashMap<>();

  public ProviderStore(KadConfig config) {
    this.config = config;
  }

  /**
   * Records {@code provider} for {@code key} (refreshing its expiry if known).
   *
   * @return false if the store is full of other keys
   */
  public boolean add(byte[] key, KadPeer provider, long nowNanos) {
    ByteBuffer id = ByteBuffer.wrap(key.clone());
    LinkedHashMap<PeerId, Provider> providers = byKey.get(id);
    if (providers == null) {
      if (byKey.size() >= config.maxProviderKeys() && prune(nowNanos) == 0) {
        return false;
      }
      providers = new LinkedHashMap<>();
      byKey.put(id, providers);
    }
    providers.remove(provider.id()); // re-insert: insertion order is staleness order
    if (providers.size() >= config.maxProvidersPerKey()) {
      Iterator<PeerId> stalest = providers.keySet().iterator();
      stalest.next();
      stalest.remove();
    }
    KadPeer trimmed =
        provider.addresses().size() <= config.maxAddressesPerPeer()
            ? provider
            : provider.withAddresses(provider.addresses().subList(0, config.maxAddressesPerPeer()));
    providers.put(provider.id(), new Provider(trimmed, nowNanos + config.providerTtl().toNanos()));
    return true;
  }

  /** The live providers of {@code key}, most recently added last. */
  public List<KadPeer> providers(byte[] key, long nowNanos) {
    LinkedHashMap<PeerId, Provider> providers = byKey.get(ByteBuffer.wrap(key));
    if (providers == null) {
      return List.of();
    }
    List<KadPeer> live = new ArrayList<>();
    for (Provider provider : providers.values()) {
      if (provider.expiresAtNanos() > nowNanos) {
        live.add(provider.peer());
      }
    }
    return List.copyOf(live);
  }

  /** Drops expired providers and empty keys; returns how many providers went. */
  public int prune(long nowNanos) {
    int removed = 0;
    for (Iterator<LinkedHashMap<PeerId, Provider>> keys = byKey.values().iterator();
        keys.hasNext(); ) {
      LinkedHashMap<PeerId, Provider> providers = keys.next();
      for (Iterator<Provider> it = providers.values().iterator(); it.hasNext(); ) {
        if (it.next().expiresAtNanos() <= nowNanos) {
          it.remove();
          removed++;
        }
      }
      if (providers.isEmpty()) {
        keys.remove();
      }
    }
    return removed;
  }

  public int keyCount() {
    return byKey.size();
  }
}
