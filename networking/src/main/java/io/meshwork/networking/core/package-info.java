/**
 * The host API that applications and the modules above {@code networking} depend on: {@link
 * io.meshwork.networking.core.Host}, {@link io.meshwork.networking.core.Connection}, {@link
 * io.meshwork.networking.core.Stream}, {@link io.meshwork.networking.core.PeerStore} and the sealed
 * {@link io.meshwork.networking.core.NetworkEvent}. No Netty type appears here, so {@code sync} and
 * {@code node} never see one (DESIGN.md, "Modules").
 */
package io.meshwork.networking.core;
