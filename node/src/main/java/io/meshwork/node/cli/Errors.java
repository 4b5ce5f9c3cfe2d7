package io.meshwork.node.cli;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns an exception into the one-line reason the command line prints. */
final class Errors {
  private Errors() {}

  static String reason(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage();
    if (t instanceof java.util.concurrent.TimeoutException) {
      return "timed out";
    }
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    Throwable cause = t.getCause();
    if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
      return message + ": " + cause.getMessage();
    }
    return message;
  }
}
