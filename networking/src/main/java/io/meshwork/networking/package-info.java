/**
 * Meshwork's libp2p stack: multiformats, crypto, transport, security, muxing, protocols and the
 * host API. Depends on nothing else in Meshwork.
 */
package io.meshwork.networking;
