package io.meshwork.networking.host;

import io.meshwork.networking.multiformats.Multiaddr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Address chores kept off the event loops: resolving {@code /dns*} names (the JDK resolver blocks)
 * on a small bounded pool, and turning an unspecified listen address into the interfaces' ones.
 */
final class AddressResolver implements AutoCloseable {
  private static final int THREADS = 2;
  private static final int QUEUE = 256;

  private final ThreadPoolExecutor executor =
      new ThreadPoolExecutor(
          THREADS,
          THREADS,
          30,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(QUEUE),
          r -> {
            Thread t = new Thread(r, "dns-resolver");
            t.setDaemon(true);
            return t;
          });

  AddressResolver() {
    executor.allowCoreThreadTimeOut(true);
  }

  /** Completes with a resolved address; an IP address completes at once. */
  CompletableFuture<InetSocketAddress> resolve(InetSocketAddress address) {
    if (!address.isUnresolved()) {
      return CompletableFuture.completedFuture(address);
    }
    try {
      return CompletableFuture.supplyAsync(
          () -> {
            try {
              return new InetSocketAddress(
                  InetAddress.getByName(address.getHostString()), address.getPort());
            } catch (UnknownHostException e) {
              throw new CompletionException(
                  new UnknownHostException("cannot resolve " + address.getHostString()));
            }
          },
          executor);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("too many name lookups in progress (" + QUEUE + ")"));
    }
  }

  /** The dialable addresses a socket bound to {@code bound} answers on. */
  static List<Multiaddr> expandUnspecified(InetSocketAddress bound) {
    if (!bound.getAddress().isAnyLocalAddress()) {
      return List.of(Multiaddr.fromSocketAddress(bound));
    }
    boolean ipv4 = bound.getAddress() instanceof Inet4Address;
    List<Multiaddr> addresses = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp()) {
          continue;
        }
        for (InetAddress ip : Collections.list(nic.getInetAddresses())) {
          if ((ip instanceof Inet4Address) == ipv4 && !ip.isLinkLocalAddress()) {
            addresses.add(Multiaddr.fromSocketAddress(new InetSocketAddress(ip, bound.getPort())));
          }
        }
      }
    } catch (SocketException e) {
      // Fall through to the loopback address below.
    }
    if (addresses.isEmpty()) {
      InetAddress loopback = ipv4 ? InetAddress.getLoopbackAddress() : loopback6();
      addresses.add(Multiaddr.fromSocketAddress(new InetSocketAddress(loopback, bound.getPort())));
    }
    return List.copyOf(addresses);
  }

  private static InetAddress loopback6() {
    try {
      return InetAddress.getByName("::1");
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
