/**
 * The DHT benchmark command ({@code meshwork bench dht}): lookups in a network of real hosts over
 * loopback in one JVM, against the best any lookup could do in the same network.
 */
package io.meshwork.networking.kad.bench;
