/** The embeddable node, its command line and HTTP API. */
package io.meshwork.node;
