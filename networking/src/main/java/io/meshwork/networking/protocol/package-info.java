/**
 * Pieces shared by the stream protocols: reading uvarint-delimited messages with a size limit, and
 * writing bulk data at the pace the muxer allows.
 */
package io.meshwork.networking.protocol;
