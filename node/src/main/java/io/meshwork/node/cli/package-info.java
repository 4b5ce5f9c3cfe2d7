/**
 * The {@code meshwork} command line (DESIGN.md, "External contract"): {@code node}, {@code keygen},
 * {@code ping}, {@code identify} and {@code perf}. Results go to stdout; errors to stderr as one
 * line with a non-zero exit status.
 */
package io.meshwork.node.cli;
